namespace RtcClient.Media.Codecs;

/// <summary>Decodes codec payloads into 16-bit PCM and conceals lost frames. One instance per stream.</summary>
public interface IAudioDecoder : IDisposable
{
    /// <summary>What this decoder consumes.</summary>
    AudioCodecInfo Info { get; }

    /// <summary>Decodes one payload into <paramref name="pcm"/>; returns samples per channel written.</summary>
    int Decode(ReadOnlySpan<byte> payload, Span<short> pcm);

    /// <summary>
    /// Fills <paramref name="samplesPerChannel"/> samples of concealment for a lost frame (packet loss
    /// concealment) and returns the samples per channel written.
    /// </summary>
    int Conceal(Span<short> pcm, int samplesPerChannel);

    /// <summary>
    /// Recovers a lost frame from redundancy carried in the payload that follows it (Opus in-band FEC);
    /// returns samples per channel written, or 0 when the codec has no such redundancy (then conceal).
    /// </summary>
    int DecodeFromNext(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samplesPerChannel);
}
