using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>What one leg's client sends and receives, decided by the server (docs/protocol.md section 5.2).</summary>
public sealed record Directive
{
    /// <summary>Increases with every new directive of the leg; the newest wins.</summary>
    [JsonPropertyName("revision")] public required int Revision { get; init; }
    /// <summary>What the client sends.</summary>
    [JsonPropertyName("send")] public IReadOnlyList<FlowDirective> Send { get; init; } = [];
    /// <summary>What the client receives.</summary>
    [JsonPropertyName("receive")] public IReadOnlyList<FlowDirective> Receive { get; init; } = [];
    /// <summary>RTCP flows.</summary>
    [JsonPropertyName("rtcp")] public RtcpFlows? Rtcp { get; init; }
    /// <summary>One of <see cref="HoldState"/>.</summary>
    [JsonPropertyName("hold")] public string Hold { get; init; } = HoldState.None;
    /// <summary>E2E encryption, or null when media is protected hop by hop only.</summary>
    [JsonPropertyName("e2e")] public E2eDirective? E2e { get; init; }
}
