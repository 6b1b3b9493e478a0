using RtcClient.Protocol;

namespace RtcClient;

/// <summary>Per-call choices when placing a call.</summary>
public sealed class CallOptions
{
    /// <summary>A per-call advertisement; the client's applies when null.</summary>
    public Advertisement? Advertisement { get; set; }

    /// <summary>An RFC 8224 Identity header value (signed caller ID) to send with the call.</summary>
    public string? Identity { get; set; }
}
