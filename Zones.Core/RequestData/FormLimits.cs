namespace Zones.RequestData;

/// <summary>
/// Bounds on a form body, checked as it streams in. A form over a size or count limit is answered
/// 413 with the limit named; a malformed one 400. The whole body is also bounded by the server's
/// MaxRequestBodySize. Sizes are counted as sent (encoded for urlencoded forms).
/// </summary>
public sealed class FormLimits
{
    /// <summary>The limits a request uses when the caller gives none (the values shown on each property).</summary>
    public static readonly FormLimits Default = new();

    /// <summary>Fields and files together.</summary>
    public int MaxFields { get; init; } = 1024;

    /// <summary>One text field (urlencoded: the whole "name=value" pair), held in memory.</summary>
    public int MaxFieldSize { get; init; } = 1024 * 1024;

    /// <summary>One uploaded file; null: only the request body limit applies.</summary>
    public long? MaxFileSize { get; init; }

    /// <summary>The header block of one multipart part.</summary>
    public int MaxPartHeaderSize { get; init; } = 16 * 1024;

    /// <summary>An uploaded file larger than this goes to a temporary file instead of memory; the file is deleted when the request ends.</summary>
    public int MemoryThreshold { get; init; } = 64 * 1024;

    /// <summary>Where temporary upload files go; null: the system's temp folder.</summary>
    public string? TempFolder { get; init; }
}
