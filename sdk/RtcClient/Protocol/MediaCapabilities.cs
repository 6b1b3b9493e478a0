using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>What a device can send and receive for one media kind, each list in order of preference.</summary>
public sealed record MediaCapabilities
{
    /// <summary>Codecs the device can send.</summary>
    [JsonPropertyName("send")] public IReadOnlyList<CodecCapability> Send { get; init; } = [];
    /// <summary>Codecs the device can receive.</summary>
    [JsonPropertyName("receive")] public IReadOnlyList<CodecCapability> Receive { get; init; } = [];
}
