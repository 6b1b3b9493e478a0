using RtcClient.Protocol;

namespace RtcClient;

/// <summary>Per-call choices when placing a call.</summary>
public sealed class CallOptions
{
    /// <summary>A per-call advertisement; the client's applies when null.</summary>
    public Advertisement? Advertisement { get; set; }

    /// <summary>
    /// A ready-made RFC 8224 Identity header value (signed caller ID) to send with the call; when set,
    /// the client's <see cref="RtcClientOptions.StirCredential"/> does not sign this call.
    /// </summary>
    public string? Identity { get; set; }

    /// <summary>The calling number to sign (PASSporT <c>orig</c>) when it is not the client's name, e.g. an extension behind a trunk.</summary>
    public string? CallerNumber { get; set; }

    /// <summary>The SHAKEN attestation for this call ("A", "B" or "C"); null uses the credential's.</summary>
    public string? Attestation { get; set; }
}
