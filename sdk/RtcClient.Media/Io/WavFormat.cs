namespace RtcClient.Media.Io;

/// <summary>Format of a 16-bit PCM WAV file.</summary>
/// <param name="SampleRate">Samples per second per channel.</param>
/// <param name="Channels">1 (mono) or 2 (stereo, interleaved).</param>
public readonly record struct WavFormat(int SampleRate, int Channels);
