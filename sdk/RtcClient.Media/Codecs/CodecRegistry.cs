using RtcClient.Native;

namespace RtcClient.Media.Codecs;

/// <summary>
/// Creates codecs by their RTP registry name (case-insensitive): PCMU, PCMA, CN, opus, H264 by default.
/// Codecs backed by a native library report whether it is installed (<see cref="IsAvailable"/>);
/// creating one that is missing throws <see cref="NativeLibraryMissingException"/> naming the package.
/// </summary>
public sealed class CodecRegistry
{
    private readonly Dictionary<string, AudioEntry> audio = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, VideoEntry> video = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock gate = new();

    /// <summary>A registry holding the built-in codecs.</summary>
    public static CodecRegistry Default { get; } = CreateDefault();

    /// <summary>Creates a registry with the built-in codecs registered.</summary>
    public static CodecRegistry CreateDefault()
    {
        var r = new CodecRegistry();
        r.RegisterAudio("PCMU", o => new G711Encoder(G711Law.MuLaw, o.G711Quantization), _ => new G711Decoder(G711Law.MuLaw));
        r.RegisterAudio("PCMA", o => new G711Encoder(G711Law.ALaw, o.G711Quantization), _ => new G711Decoder(G711Law.ALaw));
        r.RegisterAudio("CN", o => new ComfortNoiseEncoder(10, o.SampleRate), o => new ComfortNoiseDecoder(o.SampleRate));
        r.RegisterAudio("opus", o => new OpusEncoder(o.SampleRate, o.Channels, OpusApplication.Voip, o.FrameMs, o.PayloadType)
        {
            Bitrate = o.Bitrate,
            Complexity = o.Complexity,
            InbandFec = o.InbandFec,
            Dtx = o.Dtx,
            PacketLossPercentage = o.PacketLossPercentage,
        }, o => new OpusDecoder(o.SampleRate, o.Channels, o.PayloadType), NativeLibraries.Opus);
        r.RegisterVideo("H264", o => new H264Encoder(o.Width, o.Height, o.Bitrate, o.FrameRate, o.KeyFrameInterval), () => new H264Decoder(), NativeLibraries.OpenH264);
        return r;
    }

    /// <summary>Adds or replaces an audio codec.</summary>
    public void RegisterAudio(string name, Func<AudioCodecOptions, IAudioEncoder> encoder, Func<AudioCodecOptions, IAudioDecoder> decoder, NativeLibrarySpec? requires = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (gate)
            audio[name] = new AudioEntry(encoder, decoder, requires);
    }

    /// <summary>Adds or replaces a video codec.</summary>
    public void RegisterVideo(string name, Func<VideoCodecOptions, IVideoEncoder> encoder, Func<IVideoDecoder> decoder, NativeLibrarySpec? requires = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (gate)
            video[name] = new VideoEntry(encoder, decoder, requires);
    }

    /// <summary>Registered audio codec names.</summary>
    public IReadOnlyList<string> AudioCodecs
    {
        get
        {
            lock (gate)
                return [.. audio.Keys];
        }
    }

    /// <summary>Registered video codec names.</summary>
    public IReadOnlyList<string> VideoCodecs
    {
        get
        {
            lock (gate)
                return [.. video.Keys];
        }
    }

    /// <summary>True when <paramref name="name"/> is registered and its native library (if any) loads.</summary>
    public bool IsAvailable(string name)
    {
        NativeLibrarySpec? requires;
        lock (gate)
        {
            if (audio.TryGetValue(name, out var a))
                requires = a.Requires;
            else if (video.TryGetValue(name, out var v))
                requires = v.Requires;
            else
                return false;
        }
        return requires is null || NativeLibraries.IsAvailable(requires);
    }

    /// <summary>Creates an audio encoder.</summary>
    public IAudioEncoder CreateAudioEncoder(string name, AudioCodecOptions? options = null)
    {
        var e = Audio(name);
        Require(e.Requires);
        return e.Encoder(Defaults(name, options));
    }

    /// <summary>Creates an audio decoder.</summary>
    public IAudioDecoder CreateAudioDecoder(string name, AudioCodecOptions? options = null)
    {
        var e = Audio(name);
        Require(e.Requires);
        return e.Decoder(Defaults(name, options));
    }

    /// <summary>Creates a video encoder.</summary>
    public IVideoEncoder CreateVideoEncoder(string name, VideoCodecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var e = Video(name);
        Require(e.Requires);
        return e.Encoder(options);
    }

    /// <summary>Creates a video decoder.</summary>
    public IVideoDecoder CreateVideoDecoder(string name)
    {
        var e = Video(name);
        Require(e.Requires);
        return e.Decoder();
    }

    // G.711 and CN run at 8 kHz unless told otherwise.
    private static AudioCodecOptions Defaults(string name, AudioCodecOptions? options) =>
        options ?? (name.Equals("opus", StringComparison.OrdinalIgnoreCase) ? new AudioCodecOptions() : new AudioCodecOptions(SampleRate: 8000));

    private static void Require(NativeLibrarySpec? spec)
    {
        if (spec is not null)
            NativeLibraries.Load(spec);
    }

    private AudioEntry Audio(string name)
    {
        lock (gate)
            return audio.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"no audio codec named '{name}'");
    }

    private VideoEntry Video(string name)
    {
        lock (gate)
            return video.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"no video codec named '{name}'");
    }

    private sealed record AudioEntry(Func<AudioCodecOptions, IAudioEncoder> Encoder, Func<AudioCodecOptions, IAudioDecoder> Decoder, NativeLibrarySpec? Requires);

    private sealed record VideoEntry(Func<VideoCodecOptions, IVideoEncoder> Encoder, Func<IVideoDecoder> Decoder, NativeLibrarySpec? Requires);
}
