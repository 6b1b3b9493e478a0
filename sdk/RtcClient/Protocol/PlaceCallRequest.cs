using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>The body of <c>POST {tg}/calls</c> (docs/protocol.md section 6.1).</summary>
public sealed record PlaceCallRequest
{
    /// <summary>The caller's handler URI.</summary>
    [JsonPropertyName("handler")] public required string Handler { get; init; }
    /// <summary>Who to call: a handler name or E.164 number.</summary>
    [JsonPropertyName("destination")] public required string Destination { get; init; }
    /// <summary>RFC 8224 Identity header value, optional.</summary>
    [JsonPropertyName("identity")] public string? Identity { get; init; }
    /// <summary>Per-call advertisement; the handler's applies when null.</summary>
    [JsonPropertyName("advertisement")] public Advertisement? Advertisement { get; init; }
}
