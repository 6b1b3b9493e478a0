namespace RtcClient.Media.Streams;

/// <summary>Takes the played-out 16-bit PCM of a receive stream, one frame per tick (speaker, WAV, bot).</summary>
public interface IAudioSink
{
    /// <summary>Consumes one frame; the span is only valid during the call.</summary>
    void WriteFrame(ReadOnlySpan<short> frame);
}
