using RtcClient.Protocol;
using RtcClient.Server.Hosting;

namespace RtcClient.Server.Calls;

/// <summary>A call between two legs that the server bridges.</summary>
public sealed class ServerCall
{
    internal ServerCall(string id, TrunkGroupOptions trunkGroup, string from, string to, string? identity, IdentityVerification? verification, long nowTicks, DateTimeOffset createdAt)
    {
        Id = id;
        Verification = verification;
        TrunkGroup = trunkGroup;
        From = from;
        To = to;
        Identity = identity;
        CreatedTicks = nowTicks;
        CreatedAt = createdAt;
    }

    /// <summary>Call id (the key of its record in the call store).</summary>
    public string Id { get; }
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
    /// <summary>The instance (origin) this call was handed to, once it migrated away from this one.</summary>
    public string? MigratedTo { get; internal set; }
    /// <summary>True when a leg belongs to an in-process application (such a call cannot leave this process).</summary>
    public bool HasInProcessLeg => Caller.InProcess || Callee.InProcess;

    /// <summary>Serialises every change to the call's two legs.</summary>
    internal readonly object Gate = new();
    internal readonly long CreatedTicks;
    internal readonly DateTimeOffset CreatedAt;
    internal long EndedTicks;
    internal DateTimeOffset? EndedAt;
    /// <summary>Version of the call's record in the store.</summary>
    internal long Version;
}
