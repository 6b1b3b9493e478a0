namespace RtcClient.Media.Streams;

/// <summary>Supplies 16-bit PCM one frame at a time to a send stream (tone, WAV, device, bot).</summary>
public interface IAudioSource
{
    /// <summary>
    /// Fills <paramref name="frame"/> (one frame at the encoder's sample rate and channel count) and
    /// returns true; false when no audio is available this tick (the stream then sends nothing).
    /// </summary>
    bool ReadFrame(Span<short> frame);
}
