using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>A device's media advertisement, which replaces SDP (docs/protocol.md section 5.1).</summary>
public sealed record Advertisement
{
    /// <summary>Audio capabilities; every device has at least G.711.</summary>
    [JsonPropertyName("audio")] public MediaCapabilities? Audio { get; init; }
    /// <summary>Video capabilities, or null for audio-only devices.</summary>
    [JsonPropertyName("video")] public MediaCapabilities? Video { get; init; }
    /// <summary>End-to-end encryption support, or null.</summary>
    [JsonPropertyName("e2e")] public E2eCapabilities? E2e { get; init; }
}
