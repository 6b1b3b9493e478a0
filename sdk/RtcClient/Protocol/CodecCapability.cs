using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>
/// One codec a device can send or receive, with its maxima (docs/protocol.md section 5.1).
/// Unknown members are ignored on input, as the protocol requires.
/// </summary>
public sealed record CodecCapability
{
    /// <summary>Codec name as in the RTP registry: "opus", "PCMU", "PCMA", "telephone-event", "CN", "H264".</summary>
    [JsonPropertyName("codec")] public required string Codec { get; init; }
    /// <summary>Highest bitrate in bits per second the device sends or accepts.</summary>
    [JsonPropertyName("maxBitrate")] public int? MaxBitrate { get; init; }
    /// <summary>Packet times in milliseconds, preferred first.</summary>
    [JsonPropertyName("ptime")] public IReadOnlyList<int>? Ptime { get; init; }
    /// <summary>Audio channels (Opus: 1 or 2).</summary>
    [JsonPropertyName("channels")] public int? Channels { get; init; }
    /// <summary>Opus in-band FEC.</summary>
    [JsonPropertyName("fec")] public bool? Fec { get; init; }
    /// <summary>Opus discontinuous transmission.</summary>
    [JsonPropertyName("dtx")] public bool? Dtx { get; init; }
    /// <summary>Video profile ("constrained-baseline").</summary>
    [JsonPropertyName("profile")] public string? Profile { get; init; }
    /// <summary>Largest picture width.</summary>
    [JsonPropertyName("maxWidth")] public int? MaxWidth { get; init; }
    /// <summary>Largest picture height.</summary>
    [JsonPropertyName("maxHeight")] public int? MaxHeight { get; init; }
    /// <summary>Highest frame rate.</summary>
    [JsonPropertyName("maxFrameRate")] public int? MaxFrameRate { get; init; }
}
