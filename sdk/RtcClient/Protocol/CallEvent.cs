using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>
/// An event in either direction (docs/protocol.md section 6.4). Events from the server carry the
/// leg's whole resulting state (seq, state, reason, directive), so the latest one alone suffices.
/// </summary>
public sealed record CallEvent
{
    /// <summary>One of <see cref="CallEventType"/>; unknown types are ignored unless critical.</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }
    /// <summary>Server events: increasing per leg.</summary>
    [JsonPropertyName("seq")] public long? Seq { get; init; }
    /// <summary>Server events: the resulting state.</summary>
    [JsonPropertyName("state")] public string? State { get; init; }
    /// <summary>End reason (with "end", and on server events once ended).</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    /// <summary>Server events: the complete current directive.</summary>
    [JsonPropertyName("directive")] public Directive? Directive { get; init; }
    /// <summary>"answered" and "directive-request": the client's new advertisement.</summary>
    [JsonPropertyName("advertisement")] public Advertisement? Advertisement { get; init; }
    /// <summary>ping/pong: echoed nonce.</summary>
    [JsonPropertyName("nonce")] public string? Nonce { get; init; }
    /// <summary>migrate: the call's new URI.</summary>
    [JsonPropertyName("target")] public string? Target { get; init; }
    /// <summary>incoming: the call URI.</summary>
    [JsonPropertyName("call")] public string? Call { get; init; }
    /// <summary>incoming: caller.</summary>
    [JsonPropertyName("from")] public string? From { get; init; }
    /// <summary>incoming: callee.</summary>
    [JsonPropertyName("to")] public string? To { get; init; }
    /// <summary>incoming: the caller's RFC 8224 Identity header value, if any.</summary>
    [JsonPropertyName("identity")] public string? Identity { get; init; }
    /// <summary>incoming: what the server found verifying <see cref="Identity"/>; null when it did not check.</summary>
    [JsonPropertyName("verification")] public IdentityVerification? Verification { get; init; }

    /// <summary>
    /// On <c>incoming</c>: the callee leg's call document, so the client can take the call without
    /// first fetching it (saves a round trip); clients that ignore it GET <see cref="Call"/> instead.
    /// </summary>
    [JsonPropertyName("document")] public CallDocument? Document { get; init; }
    /// <summary>An unknown event with critical=true ends the leg with reason "unsupported".</summary>
    [JsonPropertyName("critical")] public bool? Critical { get; init; }
}
