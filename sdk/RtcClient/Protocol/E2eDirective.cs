using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>The E2E scheme the server chose for a call (docs/protocol.md section 8).</summary>
public sealed record E2eDirective
{
    /// <summary>Always "sframe" in version 1.</summary>
    [JsonPropertyName("scheme")] public string Scheme { get; init; } = "sframe";
    /// <summary>SFrame cipher suite name.</summary>
    [JsonPropertyName("suite")] public required string Suite { get; init; }
}
