using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>One codec on one media flow, exactly as the server directs it (docs/protocol.md section 5.2).</summary>
public sealed record FlowDirective
{
    /// <summary>Flow id (QUIC varint) of the RTP packets in the leg's media session.</summary>
    [JsonPropertyName("flow")] public required long Flow { get; init; }
    /// <summary>"audio" or "video".</summary>
    [JsonPropertyName("media")] public required string Media { get; init; }
    /// <summary>Codec name.</summary>
    [JsonPropertyName("codec")] public required string Codec { get; init; }
    /// <summary>RTP payload type.</summary>
    [JsonPropertyName("payloadType")] public required int PayloadType { get; init; }
    /// <summary>RTP clock rate.</summary>
    [JsonPropertyName("clockRate")] public required int ClockRate { get; init; }
    /// <summary>Audio channels.</summary>
    [JsonPropertyName("channels")] public int? Channels { get; init; }
    /// <summary>Packet time in milliseconds.</summary>
    [JsonPropertyName("ptime")] public int? Ptime { get; init; }
    /// <summary>Target bitrate in bits per second.</summary>
    [JsonPropertyName("bitrate")] public int? Bitrate { get; init; }
    /// <summary>Opus in-band FEC.</summary>
    [JsonPropertyName("fec")] public bool? Fec { get; init; }
    /// <summary>Opus DTX.</summary>
    [JsonPropertyName("dtx")] public bool? Dtx { get; init; }
    /// <summary>RTP SSRC the sender uses (chosen by the server so forwarding needs no rewriting).</summary>
    [JsonPropertyName("ssrc")] public uint? Ssrc { get; init; }
    /// <summary>Picture width for video.</summary>
    [JsonPropertyName("width")] public int? Width { get; init; }
    /// <summary>Picture height for video.</summary>
    [JsonPropertyName("height")] public int? Height { get; init; }
    /// <summary>Frame rate for video.</summary>
    [JsonPropertyName("frameRate")] public int? FrameRate { get; init; }
}
