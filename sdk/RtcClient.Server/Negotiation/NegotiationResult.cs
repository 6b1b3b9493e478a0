using RtcClient.Protocol;

namespace RtcClient.Server.Negotiation;

/// <summary>The directives for both legs of a call, or why none exist.</summary>
public sealed record NegotiationResult
{
    /// <summary>The caller leg's directive (null when incompatible).</summary>
    public Directive? Caller { get; init; }
    /// <summary>The callee leg's directive (null when incompatible).</summary>
    public Directive? Callee { get; init; }
    /// <summary>Why the advertisements are incompatible (422), or null on success.</summary>
    public string? IncompatibleReason { get; init; }
    /// <summary>True when both directives exist.</summary>
    public bool Succeeded => IncompatibleReason is null;
}
