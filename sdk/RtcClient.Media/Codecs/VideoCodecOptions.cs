namespace RtcClient.Media.Codecs;

/// <summary>Settings for creating a video encoder by name.</summary>
/// <param name="Width">Picture width.</param>
/// <param name="Height">Picture height.</param>
/// <param name="Bitrate">Target bitrate in bit/s.</param>
/// <param name="FrameRate">Nominal frames per second.</param>
/// <param name="KeyFrameInterval">Frames between periodic key frames; 0 = only on request.</param>
public sealed record VideoCodecOptions(int Width, int Height, int Bitrate = 500_000, float FrameRate = 30, int KeyFrameInterval = 0);
