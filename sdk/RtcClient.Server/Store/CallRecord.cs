using System.Text.Json.Serialization;

namespace RtcClient.Server.Store;

/// <summary>
/// Everything another instance needs to carry a call on: both legs, who owns the call, and whether it
/// is being handed over. Immutable and JSON-serialisable (<see cref="CallStoreJsonContext"/>), so a
/// store may keep it in a database.
/// </summary>
public sealed record CallRecord
{
    /// <summary>Call id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>Increases with every write; stores compare it (<see cref="ICallStore.TrySave"/>).</summary>
    [JsonPropertyName("version")] public required long Version { get; init; }
    /// <summary>The instance serving the call: its origin, e.g. https://10.0.0.7:443.</summary>
    [JsonPropertyName("owner")] public required string Owner { get; init; }
    /// <summary>True from the moment the previous owner hands the call to <see cref="Owner"/> until the new owner takes it over.</summary>
    [JsonPropertyName("handoff")] public bool Handoff { get; init; }
    /// <summary>Trunk group id.</summary>
    [JsonPropertyName("trunkGroup")] public required string TrunkGroup { get; init; }
    /// <summary>Caller's name.</summary>
    [JsonPropertyName("from")] public required string From { get; init; }
    /// <summary>Callee's name.</summary>
    [JsonPropertyName("to")] public required string To { get; init; }
    /// <summary>RFC 8224 Identity header value, if any.</summary>
    [JsonPropertyName("identity")] public string? Identity { get; init; }
    /// <summary>What verifying <see cref="Identity"/> found (docs/protocol.md section 9), or null.</summary>
    [JsonPropertyName("verification")] public RtcClient.Protocol.IdentityVerification? Verification { get; init; }
    /// <summary>When the call was placed (wall clock: instances do not share a monotonic clock).</summary>
    [JsonPropertyName("createdAt")] public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the call ended, or null.</summary>
    [JsonPropertyName("endedAt")] public DateTimeOffset? EndedAt { get; init; }
    /// <summary>The caller's leg.</summary>
    [JsonPropertyName("caller")] public required LegRecord Caller { get; init; }
    /// <summary>The callee's leg.</summary>
    [JsonPropertyName("callee")] public required LegRecord Callee { get; init; }
}
