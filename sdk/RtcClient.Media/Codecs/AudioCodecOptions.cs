namespace RtcClient.Media.Codecs;

/// <summary>Settings for creating an audio codec by name; codecs ignore what does not apply to them.</summary>
/// <param name="SampleRate">PCM rate (G.711 and CN: 8000; Opus: 8/12/16/24/48 kHz).</param>
/// <param name="Channels">PCM channels (Opus only: 1 or 2).</param>
/// <param name="FrameMs">Frame duration in milliseconds (Opus).</param>
/// <param name="Bitrate">Opus target bitrate in bit/s.</param>
/// <param name="Complexity">Opus complexity 0..10.</param>
/// <param name="InbandFec">Opus in-band FEC.</param>
/// <param name="Dtx">Opus discontinuous transmission.</param>
/// <param name="PacketLossPercentage">Opus expected loss in percent.</param>
/// <param name="PayloadType">RTP payload type for dynamic codecs.</param>
/// <param name="G711Quantization">How G.711 encoders map 16-bit samples onto codes (ITU by default).</param>
public sealed record AudioCodecOptions(
    int SampleRate = 48000,
    int Channels = 1,
    int FrameMs = 20,
    int Bitrate = 32000,
    int Complexity = 9,
    bool InbandFec = false,
    bool Dtx = false,
    int PacketLossPercentage = 0,
    byte PayloadType = 111,
    G711Quantization G711Quantization = G711Quantization.Itu);
