using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>A registered handler (docs/protocol.md section 4.3).</summary>
public sealed record HandlerDocument
{
    /// <summary>Handler id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>Handler URI.</summary>
    [JsonPropertyName("uri")] public required string Uri { get; init; }
    /// <summary>The handler's event stream (inbound calls).</summary>
    [JsonPropertyName("events")] public required string Events { get; init; }
    /// <summary>The address it takes calls at.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>Its advertisement.</summary>
    [JsonPropertyName("advertisement")] public required Advertisement Advertisement { get; init; }
}
