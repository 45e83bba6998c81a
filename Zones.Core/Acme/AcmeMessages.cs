using System.Text.Json.Serialization;

namespace Zones.Acme;

// The JSON objects of RFC 8555 §7.1 that Zones sends and reads, with only the members it uses
// (unknown members are ignored, so a CA may add its own).

/// <summary>§7.1.1: where the CA's resources are.</summary>
internal sealed class AcmeDirectory
{
    public string? NewNonce { get; set; }
    public string? NewAccount { get; set; }
    public string? NewOrder { get; set; }
    public DirectoryMeta? Meta { get; set; }
}

internal sealed class DirectoryMeta
{
    public string? TermsOfService { get; set; }
}

/// <summary>§7.3: newAccount's payload (it returns the existing account for a key that has one).</summary>
internal sealed class NewAccountRequest
{
    public bool TermsOfServiceAgreed { get; set; }
    public string[]? Contact { get; set; }
}

internal sealed class AcmeAccount
{
    public string? Status { get; set; }
}

internal sealed class AcmeIdentifier
{
    public string Type { get; set; } = "dns";
    public string? Value { get; set; }
}

/// <summary>§7.4: newOrder's payload.</summary>
internal sealed class NewOrderRequest
{
    public AcmeIdentifier[] Identifiers { get; set; } = [];
}

/// <summary>§7.1.3: pending → ready → processing → valid (or invalid).</summary>
internal sealed class AcmeOrder
{
    public string? Status { get; set; }
    public string[] Authorizations { get; set; } = [];
    public string? Finalize { get; set; }
    public string? Certificate { get; set; }
    public AcmeProblem? Error { get; set; }
}

/// <summary>§7.1.4: one identifier's proof, by one of its challenges.</summary>
internal sealed class AcmeAuthorization
{
    public string? Status { get; set; }
    public AcmeIdentifier? Identifier { get; set; }
    public AcmeChallenge[] Challenges { get; set; } = [];
}

internal sealed class AcmeChallenge
{
    public string? Type { get; set; }
    public string? Url { get; set; }
    public string? Status { get; set; }
    public string? Token { get; set; }
    public AcmeProblem? Error { get; set; }
}

/// <summary>§7.4: finalize's payload: the CSR, DER in base64url.</summary>
internal sealed class FinalizeRequest
{
    public string? Csr { get; set; }
}

/// <summary>RFC 7807 problem document (application/problem+json), with ACME's error types (§6.7).</summary>
internal sealed class AcmeProblem
{
    public string? Type { get; set; }
    public string? Detail { get; set; }
    public int? Status { get; set; }
    public AcmeProblem[]? Subproblems { get; set; }
}

/// <summary>Source-generated (de)serialisation: reflection-based JSON does not work in the native AOT build.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AcmeDirectory))]
[JsonSerializable(typeof(NewAccountRequest))]
[JsonSerializable(typeof(AcmeAccount))]
[JsonSerializable(typeof(NewOrderRequest))]
[JsonSerializable(typeof(AcmeOrder))]
[JsonSerializable(typeof(AcmeAuthorization))]
[JsonSerializable(typeof(FinalizeRequest))]
[JsonSerializable(typeof(AcmeProblem))]
internal sealed partial class AcmeJson : JsonSerializerContext;
