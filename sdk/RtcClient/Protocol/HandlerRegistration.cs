using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>The body of <c>POST {tg}/handlers</c> and <c>PUT {handler}</c> (docs/protocol.md section 4.3).</summary>
public sealed record HandlerRegistration
{
    /// <summary>The address this handler takes calls at.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>What the device can send and receive.</summary>
    [JsonPropertyName("advertisement")] public required Advertisement Advertisement { get; init; }
}
