using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary><c>GET /.well-known/ript</c> (docs/protocol.md section 4.1).</summary>
public sealed record DiscoveryDocument
{
    /// <summary>Protocol versions the server speaks.</summary>
    [JsonPropertyName("versions")] public IReadOnlyList<string> Versions { get; init; } = ["1"];
    /// <summary>URI of the trunk group list.</summary>
    [JsonPropertyName("trunkGroups")] public required string TrunkGroups { get; init; }
}

/// <summary><c>GET /.well-known/ript/v1/providertgs</c>.</summary>
public sealed record TrunkGroupList
{
    /// <summary>Trunk groups this token may use.</summary>
    [JsonPropertyName("trunkGroups")] public IReadOnlyList<TrunkGroupReference> TrunkGroups { get; init; } = [];
}

/// <summary>A trunk group's id and URI.</summary>
public sealed record TrunkGroupReference
{
    /// <summary>Trunk group id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>Its URI.</summary>
    [JsonPropertyName("uri")] public required string Uri { get; init; }
}
