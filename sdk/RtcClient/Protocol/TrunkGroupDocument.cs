using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>A trunk group's configuration document (docs/protocol.md section 4.2).</summary>
public sealed record TrunkGroupDocument
{
    /// <summary>Trunk group id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>Destination patterns: literals or prefixes ending in '*'.</summary>
    [JsonPropertyName("destinations")] public IReadOnlyList<string> Destinations { get; init; } = ["*"];
    /// <summary>Back-off before retrying a failed request.</summary>
    [JsonPropertyName("retryBackoffMs")] public int RetryBackoffMs { get; init; } = 2000;
    /// <summary>Media loss timeout.</summary>
    [JsonPropertyName("mediaTimeoutMs")] public int MediaTimeoutMs { get; init; } = 5000;
    /// <summary>Signaling loss timeout.</summary>
    [JsonPropertyName("signalingTimeoutMs")] public int SignalingTimeoutMs { get; init; } = 30000;
    /// <summary>No-answer timeout.</summary>
    [JsonPropertyName("noAnswerTimeoutMs")] public int NoAnswerTimeoutMs { get; init; } = 60000;
    /// <summary>Limits the server enforces.</summary>
    [JsonPropertyName("limits")] public TrunkGroupLimits Limits { get; init; } = new();
    /// <summary>
    /// Caller identity policy of the trunk group: "off", "optional" or "required" (docs/protocol.md section 9).
    /// </summary>
    [JsonPropertyName("identity")] public string? Identity { get; init; }
    /// <summary>
    /// The RFC 8226 certificates (base64 DER) whose TNAuthLists name the numbers a client may originate
    /// on this trunk group (docs/protocol.md section 9).
    /// </summary>
    [JsonPropertyName("outboundOrigins")] public IReadOnlyList<string>? OutboundOrigins { get; init; }
    /// <summary>Handlers collection URI.</summary>
    [JsonPropertyName("handlers")] public required string Handlers { get; init; }
    /// <summary>Calls collection URI.</summary>
    [JsonPropertyName("calls")] public required string Calls { get; init; }
}

/// <summary>Per-client limits of a trunk group.</summary>
public sealed record TrunkGroupLimits
{
    /// <summary>Concurrent calls per client.</summary>
    [JsonPropertyName("callsPerClient")] public int CallsPerClient { get; init; } = 100;
    /// <summary>Handlers per client.</summary>
    [JsonPropertyName("handlersPerClient")] public int HandlersPerClient { get; init; } = 10;
    /// <summary>Largest request body.</summary>
    [JsonPropertyName("maxBodyBytes")] public int MaxBodyBytes { get; init; } = 65536;
}
