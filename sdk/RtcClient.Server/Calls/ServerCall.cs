using RtcClient.Protocol;
using RtcClient.Server.Hosting;

namespace RtcClient.Server.Calls;

/// <summary>A call between two legs that the server bridges.</summary>
public sealed class ServerCall
{
    internal ServerCall(TrunkGroupOptions trunkGroup, string from, string to, string? identity, IdentityVerification? verification, long nowTicks)
    {
        Verification = verification;
        TrunkGroup = trunkGroup;
        From = from;
        To = to;
        Identity = identity;
        CreatedTicks = nowTicks;
    }

    /// <summary>Trunk group of the call.</summary>
    public TrunkGroupOptions TrunkGroup { get; }
    /// <summary>Caller's name.</summary>
    public string From { get; }
    /// <summary>Callee's name.</summary>
    public string To { get; }
    /// <summary>RFC 8224 Identity header value, if the caller sent one.</summary>
    public string? Identity { get; }
    /// <summary>What verifying <see cref="Identity"/> found; null when the trunk group does not verify.</summary>
    public IdentityVerification? Verification { get; }
    /// <summary>The caller's leg.</summary>
    public ServerLeg Caller { get; internal set; } = null!;
    /// <summary>The callee's leg.</summary>
    public ServerLeg Callee { get; internal set; } = null!;

    /// <summary>Serialises every change to the call's two legs.</summary>
    internal readonly object Gate = new();
    internal readonly long CreatedTicks;
    internal long EndedTicks;
}
