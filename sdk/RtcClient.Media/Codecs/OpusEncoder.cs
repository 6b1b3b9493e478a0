using RtcClient.Native.Opus;

namespace RtcClient.Media.Codecs;

/// <summary>
/// Opus encoder through libopus (RTP payload per RFC 7587: 48 kHz clock, one Opus packet per payload).
/// Bitrate, complexity, in-band FEC, DTX and expected packet loss can be changed between frames.
/// </summary>
public sealed unsafe class OpusEncoder : IAudioEncoder
{
    /// <summary>Largest payload worth producing; libopus never needs more for one frame.</summary>
    public const int MaxPayloadBytes = 1275;

    private nint state;
    private int bitrate;
    private int complexity;
    private bool fec;
    private bool dtx;
    private int packetLoss;
    private bool inDtx;

    /// <summary>Creates an encoder for <paramref name="sampleRate"/> (8, 12, 16, 24 or 48 kHz) and 1 or 2 channels.</summary>
    /// <exception cref="RtcClient.Native.NativeLibraryMissingException">libopus is not installed.</exception>
    public OpusEncoder(int sampleRate = 48000, int channels = 1, OpusApplication application = OpusApplication.Voip, int frameMs = 20, byte payloadType = 111)
    {
        if (frameMs is not (10 or 20 or 40 or 60))
            throw new ArgumentOutOfRangeException(nameof(frameMs), "frame duration must be 10, 20, 40 or 60 ms");
        state = OpusNative.EncoderCreate(sampleRate, channels, (int)application, out int error);
        if (error != 0 || state == 0)
            throw new OpusException("opus_encoder_create", error);
        Info = new AudioCodecInfo("opus", payloadType, 48000, sampleRate, channels);
        FrameSamples = sampleRate * frameMs / 1000;
        int lookahead;
        Check(OpusNative.EncoderCtl(state, OpusNative.GetLookaheadRequest, &lookahead), "OPUS_GET_LOOKAHEAD");
        Lookahead = lookahead;
        Bitrate = 32000;
        Complexity = 9;
    }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <summary>Samples per channel in one frame.</summary>
    public int FrameSamples { get; }

    /// <summary>Encoder delay in samples at the encoder's rate (the Ogg pre-skip is this at 48 kHz).</summary>
    public int Lookahead { get; }

    /// <summary>Target bitrate in bits per second (500 to 512000).</summary>
    public int Bitrate
    {
        get => bitrate;
        set => Set(OpusNative.SetBitrateRequest, bitrate = value, "OPUS_SET_BITRATE");
    }

    /// <summary>Computational complexity 0..10.</summary>
    public int Complexity
    {
        get => complexity;
        set => Set(OpusNative.SetComplexityRequest, complexity = value, "OPUS_SET_COMPLEXITY");
    }

    /// <summary>In-band forward error correction (LBRR copy of the previous frame; SILK and hybrid modes).</summary>
    public bool InbandFec
    {
        get => fec;
        set => Set(OpusNative.SetInbandFecRequest, (fec = value) ? 1 : 0, "OPUS_SET_INBAND_FEC");
    }

    /// <summary>Discontinuous transmission: during silence most frames produce nothing to send.</summary>
    public bool Dtx
    {
        get => dtx;
        set => Set(OpusNative.SetDtxRequest, (dtx = value) ? 1 : 0, "OPUS_SET_DTX");
    }

    /// <summary>Expected packet loss in percent (0..100); raises the FEC share of the bitrate.</summary>
    public int PacketLossPercentage
    {
        get => packetLoss;
        set => Set(OpusNative.SetPacketLossPercRequest, packetLoss = value, "OPUS_SET_PACKET_LOSS_PERC");
    }

    /// <inheritdoc />
    /// <remarks>
    /// With DTX on, packets of at most 2 bytes carry no audio (RFC 7587 section 3.1.3). The first of a
    /// run is returned, so the receiver learns at once that the sender went silent (and plays comfort
    /// noise rather than counting a loss); the others return 0 (nothing to send). libopus still emits
    /// a real frame about every 400 ms during silence to refresh the background noise.
    /// </remarks>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        ObjectDisposedException.ThrowIf(state == 0, this);
        if (pcm.Length != FrameSamples * Info.Channels)
            throw new ArgumentException($"expected {FrameSamples * Info.Channels} samples", nameof(pcm));
        int n;
        fixed (short* p = pcm)
        fixed (byte* d = payload)
            n = OpusNative.Encode(state, p, FrameSamples, d, Math.Min(payload.Length, MaxPayloadBytes));
        if (n < 0)
            throw new OpusException("opus_encode", n);
        if (!dtx || n > 2)
        {
            inDtx = false;
            return n;
        }
        if (inDtx)
            return 0;
        inDtx = true;
        return n;
    }

    private void Set(int request, int value, string name)
    {
        ObjectDisposedException.ThrowIf(state == 0, this);
        Check(OpusNative.EncoderCtl(state, request, value), name);
    }

    private static void Check(int result, string name)
    {
        if (result != 0)
            throw new OpusException(name, result);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the native encoder if <see cref="Dispose"/> was not called.</summary>
    ~OpusEncoder() => Free();

    private void Free()
    {
        var s = Interlocked.Exchange(ref state, 0);
        if (s != 0)
            OpusNative.EncoderDestroy(s);
    }
}
