using RtcClient.Media;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;
using RtcClient.Media.Rtp;
using RtcClient.Server.Media;

namespace RtcClient.Tests.Media;

/// <summary>Keeps copies of the RTP payloads on the audio flow that the relay forwards (bounded).</summary>
internal sealed class RecordingRelayObserver : IMediaRelayObserver
{
    private const int Capacity = 4000;
    private readonly Lock _gate = new();
    private readonly List<(string FromLeg, byte PayloadType, byte[] Payload)> _audio = [];

    /// <summary>Payloads of audio frames (not telephone events, not comfort noise).</summary>
    public byte[][] AudioPayloads { get { lock (_gate) return [.. _audio.Where(a => IsAudio(a.PayloadType)).Select(a => a.Payload)]; } }

    public byte[][] AudioPayloadsFrom(string leg) { lock (_gate) return [.. _audio.Where(a => a.FromLeg == leg && IsAudio(a.PayloadType)).Select(a => a.Payload)]; }

    /// <summary>Payloads of one payload type (e.g. 101, telephone events).</summary>
    public byte[][] PayloadsOfType(byte payloadType) { lock (_gate) return [.. _audio.Where(a => a.PayloadType == payloadType).Select(a => a.Payload)]; }

    public void OnForward(string fromLeg, ReadOnlySpan<byte> datagram)
    {
        if (!RtpDatagram.TryRead(datagram, out ulong flow, out var packet) || flow != 4)
            return;
        if (RtpPacket.TryParse(packet, out var rtp) != RtpParseStatus.Ok)
            return;
        lock (_gate)
        {
            if (_audio.Count < Capacity)
                _audio.Add((fromLeg, rtp.PayloadType, rtp.Payload.ToArray()));
        }
    }

    private static bool IsAudio(byte payloadType) => payloadType is not (101 or 13);
}

/// <summary>Collects a call's received digits in order.</summary>
internal sealed class DigitCollector
{
    private readonly Lock _gate = new();
    private readonly List<DtmfReceivedEventArgs> _digits = [];
    private readonly Call _call;

    public DigitCollector(Call call)
    {
        _call = call;
        call.DtmfReceived += (_, e) =>
        {
            lock (_gate)
                _digits.Add(e);
        };
    }

    public string Digits { get { lock (_gate) return string.Concat(_digits.Select(d => d.Digit)); } }

    public TimeSpan[] Durations { get { lock (_gate) return [.. _digits.Select(d => d.Duration)]; } }

    public async Task WaitForAsync(int count, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        for (int i = 0; i < 500 && Digits.Length < count; i++)
            await timer.WaitForNextTickAsync(cancellationToken);
        Assert.That(Digits, Has.Length.EqualTo(count), $"digits received on {_call.To}'s side");
    }
}

/// <summary>A media transport whose sessions can alter received audio packets (an attacker on the path).</summary>
internal sealed class TamperingMediaTransport(IMediaTransport inner) : IMediaTransport
{
    private int _toFlip;
    private int _flipped;

    public int Flipped => Volatile.Read(ref _flipped);

    /// <summary>Flips the last byte (inside the SFrame tag) of the next <paramref name="count"/> received audio packets.</summary>
    public void FlipNext(int count) => Volatile.Write(ref _toFlip, count);

    public async ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
        => new Session(this, await inner.OpenAsync(mediaUri, bearerToken, cancellationToken));

    private sealed class Session(TamperingMediaTransport owner, IMediaSession inner) : IMediaSession
    {
        public int MaxDatagramSize => inner.MaxDatagramSize;

        public bool TrySend(ReadOnlySpan<byte> datagram) => inner.TrySend(datagram);

        public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            int n = await inner.ReceiveAsync(buffer, cancellationToken);
            if (n > 20 && buffer.Span[0] == 4 && RtpPacket.TryParse(buffer.Span[1..n], out var rtp) == RtpParseStatus.Ok
                && rtp.PayloadType != 101 && Volatile.Read(ref owner._toFlip) > 0)
            {
                Interlocked.Decrement(ref owner._toFlip);
                buffer.Span[n - 1] ^= 0x01;
                Interlocked.Increment(ref owner._flipped);
            }
            return n;
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>Keeps the SDK's call media from opening, so a test can drive raw datagrams on sessions of its own.</summary>
internal sealed class NoCallMedia : IMediaTransport
{
    public ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
        => ValueTask.FromException<IMediaSession>(new RtcException("call media is driven by the test"));
}

/// <summary>A media transport whose sessions can be made to drop everything they receive or send (a broken path).</summary>
internal sealed class LossyMediaTransport(IMediaTransport inner) : IMediaTransport
{
    private volatile bool _dropReceived;
    private volatile bool _dropSent;
    private volatile bool _refuseOpen;
    private int _opened;
    private int _attempts;

    /// <summary>Opening a session fails (the server cannot be reached for media).</summary>
    public bool RefuseOpen { get => _refuseOpen; set => _refuseOpen = value; }

    /// <summary>Attempts to open a session so far (refused ones included).</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Received datagrams vanish (on every session, also reopened ones).</summary>
    public bool DropReceived { get => _dropReceived; set => _dropReceived = value; }

    /// <summary>Sent datagrams vanish (reported as sent, as on a path that loses them).</summary>
    public bool DropSent { get => _dropSent; set => _dropSent = value; }

    /// <summary>Sessions opened so far.</summary>
    public int Opened => Volatile.Read(ref _opened);

    public async ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        if (RefuseOpen) throw new IOException("media path down (test)");
        var session = new Session(this, await inner.OpenAsync(mediaUri, bearerToken, cancellationToken));
        Interlocked.Increment(ref _opened);
        return session;
    }

    private sealed class Session(LossyMediaTransport owner, IMediaSession inner) : IMediaSession
    {
        public int MaxDatagramSize => inner.MaxDatagramSize;

        public bool TrySend(ReadOnlySpan<byte> datagram) => owner.DropSent || inner.TrySend(datagram);

        public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            while (true)
            {
                int n = await inner.ReceiveAsync(buffer, cancellationToken);
                if (n == 0 || !owner.DropReceived) return n;
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>Synthetic moving pictures as a call's video source.</summary>
internal sealed class SyntheticVideoFrameSource(int width, int height, int frameRate) : IVideoFrameSource
{
    private readonly SyntheticVideoSource _source = new(width, height, frameRate);

    public VideoFrame? ReadFrame() => _source.NextFrame();
}

/// <summary>Counts decoded pictures and remembers their sizes.</summary>
internal sealed class VideoFrameCollector : IVideoFrameSink
{
    private readonly Lock _gate = new();
    private readonly List<(int Width, int Height)> _sizes = [];

    public (int Width, int Height)[] Sizes { get { lock (_gate) return [.. _sizes]; } }

    public void WriteFrame(VideoFrame frame)
    {
        lock (_gate)
            _sizes.Add((frame.Width, frame.Height));
    }
}

/// <summary>Bounded polling for conditions that have no event to await.</summary>
internal static class Eventually
{
    public static async Task ThatAsync(Func<bool> condition, string what, CancellationToken cancellationToken, int seconds = 10)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        for (int i = 0; i < seconds * 50 && !condition(); i++)
            await timer.WaitForNextTickAsync(cancellationToken);
        Assert.That(condition(), Is.True, $"no {what} within {seconds} s");
    }
}

/// <summary>Waits for fresh audio: real packets, not what the jitter buffer or concealment still plays.</summary>
internal static class FreshAudio
{
    /// <summary>Completes once each call has received <paramref name="packets"/> more audio packets than now.</summary>
    public static Task ArrivesAsync(Call first, Call second, int packets, CancellationToken cancellationToken)
    {
        Call[] calls = [first, second];
        var start = calls.Select(Received).ToArray();
        return Eventually.ThatAsync(() => calls.Select(Received).Zip(start).All(p => p.First >= p.Second + packets),
            $"{packets} fresh audio packets at each end", cancellationToken);
    }

    private static long Received(Call call) => call.GetStatistics().AudioReceive?.PacketsReceived ?? 0;
}

/// <summary>What a clear G.711 tone looks like on the wire.</summary>
internal static class ClearTone
{
    /// <summary>Every 16-byte run of the PCMU encoding of the given 8 kHz tones (any phase: they are periodic within a frame).</summary>
    public static HashSet<string> PcmuWindows(params double[] frequencies)
    {
        var windows = new HashSet<string>(StringComparer.Ordinal);
        foreach (double f in frequencies)
        {
            var tone = new ToneGenerator(new AudioFormat(8000), 8000, f);
            var pcm = new short[160];
            tone.ReadFrame(pcm);
            using var encoder = new G711Encoder(G711Law.MuLaw);
            var payload = new byte[160];
            encoder.Encode(pcm, payload);
            for (int i = 0; i + 16 <= payload.Length; i++)
                windows.Add(Convert.ToHexString(payload, i, 16));
        }
        return windows;
    }

    public static bool ContainsAny(byte[] payload, HashSet<string> windows)
    {
        for (int i = 0; i + 16 <= payload.Length; i++)
        {
            if (windows.Contains(Convert.ToHexString(payload, i, 16)))
                return true;
        }
        return false;
    }
}

/// <summary>A 1 kHz tone, or when <see cref="Silent"/> quiet uniform noise (a room between words); remembers what its last frame was.</summary>
internal sealed class SpeechAndSilenceSource(AudioFormat format, int noiseAmplitude = 30) : IAudioFrameSource
{
    private readonly ToneGenerator _tone = new(format, 8000, 1000);
    private readonly Random _noise = new(7);
    private volatile bool _silent;
    private volatile bool _lastFrameSilent;
    private long _silentFrames;

    public AudioFormat Format => format;

    public bool Silent { get => _silent; set => _silent = value; }

    /// <summary>Whether the frame read last was silence (read on the media thread that then sends it).</summary>
    public bool LastFrameSilent => _lastFrameSilent;

    public long SilentFramesRead => Interlocked.Read(ref _silentFrames);

    public bool ReadFrame(Span<short> frame)
    {
        bool silent = _silent;
        if (silent)
        {
            for (int i = 0; i < frame.Length; i++)
                frame[i] = (short)_noise.Next(-noiseAmplitude, noiseAmplitude + 1);
            Interlocked.Increment(ref _silentFrames);
        }
        else
        {
            _tone.ReadFrame(frame);
        }
        _lastFrameSilent = silent;
        return true;
    }
}

/// <summary>Keeps the RMS level of every frame played (bounded) and passes frames on to a tone detector.</summary>
internal sealed class LevelRecorder(ToneDetector detector) : IAudioFrameSink
{
    private readonly Lock _gate = new();
    private readonly List<double> _levels = [];

    public AudioFormat Format => detector.Format;

    public double[] Levels { get { lock (_gate) return [.. _levels]; } }

    public void WriteFrame(ReadOnlySpan<short> frame)
    {
        double energy = 0;
        foreach (short s in frame)
            energy += (double)s * s;
        lock (_gate)
        {
            if (_levels.Count < 100_000)
                _levels.Add(Math.Sqrt(energy / Math.Max(1, frame.Length)));
        }
        detector.WriteFrame(frame);
    }
}

/// <summary>A media transport whose sessions count the audio RTP packets sent while a source is silent.</summary>
internal sealed class SilenceCountingMediaTransport(IMediaTransport inner, SpeechAndSilenceSource source, ulong audioFlow) : IMediaTransport
{
    private readonly SpeechAndSilenceSource _source = source;
    private readonly ulong _audioFlow = audioFlow;
    private long _sentInSilence;

    public long AudioPacketsSentInSilence => Interlocked.Read(ref _sentInSilence);

    public async ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
        => new Session(this, await inner.OpenAsync(mediaUri, bearerToken, cancellationToken));

    private sealed class Session(SilenceCountingMediaTransport owner, IMediaSession inner) : IMediaSession
    {
        public int MaxDatagramSize => inner.MaxDatagramSize;

        public bool TrySend(ReadOnlySpan<byte> datagram)
        {
            if (owner._source.LastFrameSilent && RtpDatagram.TryRead(datagram, out ulong flow, out _) && flow == owner._audioFlow)
                Interlocked.Increment(ref owner._sentInSilence);
            return inner.TrySend(datagram);
        }

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
