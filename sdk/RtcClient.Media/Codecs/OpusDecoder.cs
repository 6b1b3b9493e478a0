using RtcClient.Native.Opus;

namespace RtcClient.Media.Codecs;

/// <summary>
/// Opus decoder through libopus with its packet loss concealment (<see cref="Conceal"/>) and in-band FEC
/// recovery (<see cref="DecodeFromNext"/>). Corrupt payloads are concealed rather than thrown.
/// </summary>
public sealed unsafe class OpusDecoder : IAudioDecoder
{
    private nint state;

    /// <summary>Creates a decoder producing <paramref name="sampleRate"/> Hz, 1 or 2 channels.</summary>
    /// <exception cref="RtcClient.Native.NativeLibraryMissingException">libopus is not installed.</exception>
    public OpusDecoder(int sampleRate = 48000, int channels = 1, byte payloadType = 111)
    {
        state = OpusNative.DecoderCreate(sampleRate, channels, out int error);
        if (error != 0 || state == 0)
            throw new OpusException("opus_decoder_create", error);
        Info = new AudioCodecInfo("opus", payloadType, 48000, sampleRate, channels);
    }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <summary>Samples per channel produced by concealment (PLC), including when a payload was undecodable.</summary>
    public long ConcealedSamples { get; private set; }

    /// <summary>Samples per channel recovered from in-band FEC.</summary>
    public long RecoveredSamples { get; private set; }

    /// <summary>Payloads libopus rejected (then concealed).</summary>
    public long CorruptPayloads { get; private set; }

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        ObjectDisposedException.ThrowIf(state == 0, this);
        int capacity = Math.Min(pcm.Length / Info.Channels, OpusNative.MaxFrameSamples);
        if (payload.IsEmpty)
            return Conceal(pcm, Math.Min(capacity, Info.SampleRate / 50));
        int n;
        fixed (byte* d = payload)
        fixed (short* p = pcm)
            n = OpusNative.Decode(state, d, payload.Length, p, capacity, 0);
        if (n >= 0)
            return n;
        CorruptPayloads++;
        return Conceal(pcm, Math.Min(capacity, Info.SampleRate / 50));
    }

    /// <inheritdoc />
    public int Conceal(Span<short> pcm, int samplesPerChannel)
    {
        ObjectDisposedException.ThrowIf(state == 0, this);
        int n = Math.Min(samplesPerChannel, pcm.Length / Info.Channels);
        int got;
        fixed (short* p = pcm)
            got = OpusNative.Decode(state, null, 0, p, n, 0);
        if (got < 0)
        {
            pcm[..(n * Info.Channels)].Clear();
            got = n;
        }
        ConcealedSamples += got;
        return got;
    }

    /// <inheritdoc />
    /// <remarks>
    /// CELT-only packets (TOC configuration 16-31) carry no LBRR data: returns 0. For SILK and hybrid
    /// packets libopus decodes the LBRR copy when present and otherwise conceals.
    /// </remarks>
    public int DecodeFromNext(ReadOnlySpan<byte> nextPayload, Span<short> pcm, int samplesPerChannel)
    {
        ObjectDisposedException.ThrowIf(state == 0, this);
        if (nextPayload.IsEmpty || (nextPayload[0] >> 3) >= 16)
            return 0;
        int n = Math.Min(samplesPerChannel, pcm.Length / Info.Channels);
        int got;
        fixed (byte* d = nextPayload)
        fixed (short* p = pcm)
            got = OpusNative.Decode(state, d, nextPayload.Length, p, n, 1);
        if (got <= 0)
            return 0;
        RecoveredSamples += got;
        return got;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the native decoder if <see cref="Dispose"/> was not called.</summary>
    ~OpusDecoder() => Free();

    private void Free()
    {
        var s = Interlocked.Exchange(ref state, 0);
        if (s != 0)
            OpusNative.DecoderDestroy(s);
    }
}
