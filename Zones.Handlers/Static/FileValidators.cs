namespace Zones.Handlers.Static;

/// <summary>A file's ETag and Last-Modified as sent, for its length, date and content coding.</summary>
internal sealed record FileValidators(string ETag, string LastModified)
{
    public static FileValidators For(long length, DateTimeOffset modified, string? coding) =>
        new(EntityTag.ForFile(length, modified, coding), HttpDate.Format(modified));
}
