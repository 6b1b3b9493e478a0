using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>A call leg as a resource (docs/protocol.md section 6.2).</summary>
public sealed record CallDocument
{
    /// <summary>Leg id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>The leg's URI (a path on the server).</summary>
    [JsonPropertyName("uri")] public required string Uri { get; init; }
    /// <summary>Event stream URI.</summary>
    [JsonPropertyName("events")] public required string Events { get; init; }
    /// <summary>WebTransport media session URI.</summary>
    [JsonPropertyName("media")] public required string Media { get; init; }
    /// <summary>"outbound" (this client placed it) or "inbound".</summary>
    [JsonPropertyName("direction")] public required string Direction { get; init; }
    /// <summary>Caller.</summary>
    [JsonPropertyName("from")] public required string From { get; init; }
    /// <summary>Callee.</summary>
    [JsonPropertyName("to")] public required string To { get; init; }
    /// <summary>One of <see cref="CallState"/>.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    /// <summary>End reason once ended.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    /// <summary>Sequence number of the latest server event.</summary>
    [JsonPropertyName("seq")] public long Seq { get; init; }
    /// <summary>The current directive, once computed.</summary>
    [JsonPropertyName("directive")] public Directive? Directive { get; init; }
    /// <summary>The caller's RFC 8224 Identity header value, if any.</summary>
    [JsonPropertyName("identity")] public string? Identity { get; init; }
    /// <summary>What the server found verifying <see cref="Identity"/> (docs/protocol.md section 9); null when it did not check.</summary>
    [JsonPropertyName("verification")] public IdentityVerification? Verification { get; init; }
}
