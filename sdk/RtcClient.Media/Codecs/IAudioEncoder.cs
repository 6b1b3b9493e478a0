namespace RtcClient.Media.Codecs;

/// <summary>
/// Encodes fixed-duration frames of 16-bit PCM (interleaved when stereo) into codec payloads.
/// Implementations are not thread-safe; one instance per stream.
/// </summary>
public interface IAudioEncoder : IDisposable
{
    /// <summary>What this encoder produces.</summary>
    AudioCodecInfo Info { get; }

    /// <summary>
    /// Encodes one frame of <c>SampleRate * frameMs / 1000 * Channels</c> samples into
    /// <paramref name="payload"/> and returns the payload length (0 means nothing to send, e.g. DTX).
    /// </summary>
    int Encode(ReadOnlySpan<short> pcm, Span<byte> payload);
}
