namespace Zones.Acme;

/// <summary>An ACME exchange did not give what was needed; the message says what, for one log line.</summary>
public class AcmeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The CA answered with a problem document (RFC 8555 §6.7): its type and detail are the message.</summary>
public sealed class AcmeProblemException : AcmeException
{
    internal AcmeProblemException(AcmeProblem problem, string context)
        : base($"{context}: {Describe(problem)}")
    {
        Type = problem.Type ?? "about:blank";
        Detail = problem.Detail;
        Status = problem.Status;
    }

    /// <summary>The namespace of the problem types RFC 8555 §6.7 defines; <see cref="ShortType"/> drops it.</summary>
    public const string ErrorPrefix = "urn:ietf:params:acme:error:";

    /// <summary>e.g. "urn:ietf:params:acme:error:badNonce".</summary>
    public string Type { get; }

    /// <summary>The CA's human-readable explanation, when it gave one.</summary>
    public string? Detail { get; }

    /// <summary>The HTTP status the problem came with, when the document carried it.</summary>
    public int? Status { get; }

    /// <summary>"badNonce" for ACME's own types, the whole URI for others.</summary>
    public string ShortType => Type.StartsWith(ErrorPrefix, StringComparison.Ordinal) ? Type[ErrorPrefix.Length..] : Type;

    internal static string Describe(AcmeProblem problem)
    {
        var type = problem.Type is { } t && t.StartsWith(ErrorPrefix, StringComparison.Ordinal) ? t[ErrorPrefix.Length..] : problem.Type ?? "error";
        var text = string.IsNullOrWhiteSpace(problem.Detail) ? type : $"{problem.Detail!.Trim()} ({type})";
        // A rejected identifier's reason is in its subproblem (§6.7.1).
        if (problem.Subproblems is { Length: > 0 } subproblems) text += "; " + string.Join("; ", subproblems.Select(Describe));
        return text;
    }
}
