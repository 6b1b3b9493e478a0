using RtcClient.Media;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;
using RtcClient.Media.Rtp;
using RtcClient.Server.Media;

namespace RtcClient.Tests.Media;

/// <summary>Keeps copies of the audio datagrams the relay forwards (bounded).</summary>
internal sealed class RecordingRelayObserver : IMediaRelayObserver
{
    private const int Capacity = 4000;
    private readonly Lock _gate = new();
    private readonly List<(string FromLeg, byte[] Payload)> _audio = [];

    public byte[][] AudioPayloads { get { lock (_gate) return [.. _audio.Select(a => a.Payload)]; } }

    public byte[][] AudioPayloadsFrom(string leg) { lock (_gate) return [.. _audio.Where(a => a.FromLeg == leg).Select(a => a.Payload)]; }

    public void OnForward(string fromLeg, ReadOnlySpan<byte> datagram)
    {
        if (!RtpDatagram.TryRead(datagram, out ulong flow, out var packet) || flow != 4)
            return;
        if (RtpPacket.TryParse(packet, out var rtp) != RtpParseStatus.Ok || rtp.PayloadType == 101)
            return;
        lock (_gate)
        {
            if (_audio.Count < Capacity)
                _audio.Add((fromLeg, rtp.Payload.ToArray()));
        }
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
