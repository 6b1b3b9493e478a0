using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>Flow ids of the leg's RTCP in each direction.</summary>
public sealed record RtcpFlows
{
    /// <summary>Flow the client sends its RTCP on.</summary>
    [JsonPropertyName("sendFlow")] public required long SendFlow { get; init; }
    /// <summary>Flow the client receives RTCP on.</summary>
    [JsonPropertyName("receiveFlow")] public required long ReceiveFlow { get; init; }
}
