using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>
/// What the terminating server found when it verified the caller's <c>identity</c> (docs/protocol.md
/// section 9): carried in the callee's <c>incoming</c> event and call document.
/// </summary>
public sealed record IdentityVerification
{
    /// <summary>One of <see cref="VerificationStatus"/> (the values of the 3GPP <c>verstat</c> parameter).</summary>
    [JsonPropertyName("status")] public required string Status { get; init; }
    /// <summary>SHAKEN attestation of a verified PASSporT: "A", "B" or "C".</summary>
    [JsonPropertyName("attestation")] public string? Attestation { get; init; }
    /// <summary>The verified calling number (canonical form).</summary>
    [JsonPropertyName("orig")] public string? Origin { get; init; }
    /// <summary>The verified origination identifier.</summary>
    [JsonPropertyName("origid")] public string? OrigId { get; init; }
    /// <summary>When verification failed: the RFC 8224 SIP code (428, 436, 437, 438).</summary>
    [JsonPropertyName("error")] public int? Error { get; init; }
    /// <summary>When verification failed: why.</summary>
    [JsonPropertyName("detail")] public string? Detail { get; init; }

    /// <summary>True when the caller's number was verified.</summary>
    [JsonIgnore] public bool IsVerified => Status == VerificationStatus.Passed;
}

/// <summary>Values of <see cref="IdentityVerification.Status"/>.</summary>
public static class VerificationStatus
{
    /// <summary>The PASSporT verified and its certificate covers the calling number.</summary>
    public const string Passed = "TN-Validation-Passed";
    /// <summary>An identity was sent and did not verify.</summary>
    public const string Failed = "TN-Validation-Failed";
    /// <summary>No identity was sent.</summary>
    public const string None = "No-TN-Validation";
}
