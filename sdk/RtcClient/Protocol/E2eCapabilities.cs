using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>End-to-end encryption a device supports (docs/protocol.md section 8).</summary>
public sealed record E2eCapabilities
{
    /// <summary>SFrame cipher suite names, preferred first (e.g. "AES_128_GCM_SHA256_128").</summary>
    [JsonPropertyName("sframe")] public IReadOnlyList<string> SFrame { get; init; } = [];
    /// <summary>True when the device refuses calls without E2E.</summary>
    [JsonPropertyName("required")] public bool Required { get; init; }
}
