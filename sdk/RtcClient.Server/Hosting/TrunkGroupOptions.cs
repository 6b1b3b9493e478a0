using System.Security.Cryptography.X509Certificates;
using RtcClient.Protocol;
using RtcClient.Server.Identity;

namespace RtcClient.Server.Hosting;

/// <summary>One trunk group the server offers (docs/protocol.md section 4.2).</summary>
public sealed class TrunkGroupOptions
{
    /// <summary>Trunk group id, used in its URI.</summary>
    public required string Id { get; init; }
    /// <summary>Destination patterns: literals or prefixes ending in '*'.</summary>
    public IReadOnlyList<string> Destinations { get; init; } = ["*"];
    /// <summary>How long an unanswered call rings.</summary>
    public TimeSpan NoAnswerTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How long a leg may go without an event stream or request.</summary>
    public TimeSpan SignalingTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long an answered leg may go without media.</summary>
    public TimeSpan MediaTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Per-client limits.</summary>
    public TrunkGroupLimits Limits { get; init; } = new();
    /// <summary>Caller identity verification (STIR/SHAKEN, docs/protocol.md section 9); off by default.</summary>
    public StirVerificationOptions Identity { get; init; } = new();
    /// <summary>RFC 8226 certificates naming the numbers clients may originate here, advertised as <c>outboundOrigins</c>.</summary>
    public IReadOnlyList<X509Certificate2> OutboundOrigins { get; init; } = [];

    /// <summary>True when <paramref name="destination"/> matches one of the patterns.</summary>
    public bool Accepts(string destination)
    {
        foreach (var p in Destinations)
        {
            if (p.EndsWith('*') ? destination.StartsWith(p[..^1], StringComparison.Ordinal) : p == destination) return true;
        }
        return false;
    }
}
