using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>An RFC 9457 problem details body, as every 4xx/5xx of the protocol carries (docs/protocol.md section 3).</summary>
public sealed record Problem
{
    /// <summary>Media type of problem bodies.</summary>
    public const string MediaType = "application/problem+json";

    /// <summary>"urn:ript:problem:" + a short name.</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }
    /// <summary>Short human-readable summary.</summary>
    [JsonPropertyName("title")] public required string Title { get; init; }
    /// <summary>HTTP status.</summary>
    [JsonPropertyName("status")] public required int Status { get; init; }
    /// <summary>What exactly went wrong.</summary>
    [JsonPropertyName("detail")] public string? Detail { get; init; }
    /// <summary>The request path.</summary>
    [JsonPropertyName("instance")] public string? Instance { get; init; }
    /// <summary>For <see cref="ProblemType.Migrated"/> (421): the call's URI on the instance that serves it now.</summary>
    [JsonPropertyName("target")] public string? Target { get; init; }
    /// <summary>For identity failures: the SIP status code (428, 436, 437, 438) for gateways.</summary>
    [JsonPropertyName("identityError")] public int? IdentityError { get; init; }
}
