using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;
using RtcClient.Media.Rtp;
using RtcClient.Media.Streams;
using RtcClient.Protocol;
using RtcClient.SFrame;

namespace RtcClient.Media;

/// <summary>
/// The media of one call leg: its media session, a receive pump into the flow demultiplexer, and the
/// audio/video streams the directive asks for, ticked by the process's media clock. A new directive
/// either only changes hold (sending/receiving gates) or rebuilds the streams on the same session; a
/// new session (reopened after a loss, or at a migrated call's new URI) replaces the old one under
/// the running streams. Methods other than the statistics are called one at a time by the call.
/// </summary>
internal sealed class CallMedia : IAsyncDisposable
{
    private static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    private readonly Call _call;
    private IMediaSession _session;
    private CancellationTokenSource _sessionStop;
    private long _lastReceived = Stopwatch.GetTimestamp();
    private readonly SessionDatagramSink _sink;
    private readonly IMediaClock _clock;
    private readonly RtcClientOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _streamsGate = new();
    private Task _pump;
    private readonly List<GatedTickable> _ticking = [];
    private MediaSession? _demux;
    private ulong[] _mediaReceiveFlows = [];
    private AudioSendStream? _audioSend;
    private AudioReceiveStream? _audioReceive;
    private VideoSendStream? _videoSend;
    private VideoReceiveStream? _videoReceive;
    private VideoFramePump? _videoPump;
    private readonly List<IDisposable> _codecs = [];
    private MediaFrameProtection? _protection;
    private string? _signature;
    private volatile bool _sending;
    private volatile bool _receiving;
    private volatile bool _live;
    private volatile bool _heard;
    private GatedTickable? _audioSendTick;

    public CallMedia(Call call, IMediaSession session, RtcClientOptions options, ILogger logger)
    {
        _call = call;
        _session = session;
        _sink = new SessionDatagramSink(session);
        _clock = options.MediaClock ?? MediaClock.Shared;
        _options = options;
        _logger = logger;
        _sessionStop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _pump = StartPump(session, _sessionStop.Token);
    }

    /// <summary>How long since the last datagram (media or RTCP) arrived, or since media (re)started.</summary>
    public TimeSpan SinceLastReceived => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastReceived));

    /// <summary>
    /// Moves the running streams onto <paramref name="session"/> and closes the old session. The streams keep
    /// their SSRCs and sequence numbers, so the far end sees one stream with a gap.
    /// </summary>
    public async Task ReplaceSessionAsync(IMediaSession session)
    {
        var old = _session;
        var oldStop = _sessionStop;
        var oldPump = _pump;
        _session = session;
        _sink.Session = session;
        _sessionStop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _pump = StartPump(session, _sessionStop.Token);
        await oldStop.CancelAsync().ConfigureAwait(false);
        try
        {
            await old.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogDebug(e, "call {Call}: closing the replaced media session failed", _call.Id);
        }
        await oldPump.ConfigureAwait(false);
        oldStop.Dispose();
    }

    /// <summary>
    /// Applies a directive; false when it allows no media (e.g. E2E required but not negotiated). Not
    /// <paramref name="live"/> (the call still rings): the streams are built and receive, but nothing is sent and
    /// nothing is played until the first packet arrives, which the server forwards only once the call is answered.
    /// </summary>
    public async Task<bool> ApplyAsync(Directive directive, bool live)
    {
        // A new directive (answer, hold, resume) may pause media: the no-media timer starts afresh, as on the server.
        Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
        bool wasSending = _sending;
        _live = live;
        _sending = live && directive.Hold == HoldState.None;
        _receiving = directive.Hold is HoldState.None or HoldState.Local;
        string signature = JsonSerializer.Serialize(directive with { Revision = 0, Hold = HoldState.None }, RiptJsonContext.Default.Directive);
        bool ready;
        if (signature == _signature)
        {
            ready = _demux is not null;
        }
        else
        {
            await StopStreamsAsync(goodbye: false).ConfigureAwait(false);
            _signature = signature;
            ready = BuildStreams(directive);
            wasSending = false;
        }
        // The first frame leaves now rather than at the clock's next tick (up to a frame later): it is what the far
        // end waits to hear when the call is answered or taken off hold.
        if (ready && _sending && !wasSending)
            _audioSendTick?.OnTick(_clock.Now);
        return ready;
    }

    /// <summary>Queues DTMF digits on the audio send stream; false when none could be queued.</summary>
    public bool SendDtmf(string digits, TimeSpan duration)
    {
        var stream = Volatile.Read(ref _audioSend);
        if (stream is null || string.IsNullOrEmpty(digits))
            return false;
        foreach (char digit in digits)
        {
            if (!stream.SendDtmf(digit, duration))
                return false;
        }
        return true;
    }

    public CallStatistics GetStatistics()
    {
        var protection = Volatile.Read(ref _protection);
        E2eStatistics? e2e = null;
        if (protection is { Sender: { } sender, Receiver: { } receiver, CipherSuite: { } suite })
        {
            var s = sender.Statistics;
            var r = receiver.Statistics;
            e2e = new E2eStatistics(SFrameCipherSuites.GetName(suite), s.FramesEncrypted, s.KeyMissing + s.CounterExhausted,
                r.FramesDecrypted, r.AuthenticationFailures, r.KeyMissing, r.Replays, r.MalformedFrames);
        }
        return new CallStatistics(Volatile.Read(ref _audioSend)?.Statistics, Volatile.Read(ref _audioReceive)?.Statistics,
            Volatile.Read(ref _videoSend)?.Statistics, Volatile.Read(ref _videoReceive)?.Statistics, e2e);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await StopStreamsAsync(goodbye: true).ConfigureAwait(false);
        try
        {
            await _session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogDebug(e, "call {Call}: closing the media session failed", _call.Id);
        }
        await _pump.ConfigureAwait(false);
        _protection?.Dispose();
        _sessionStop.Dispose();
        _stop.Dispose();
    }

    private bool BuildStreams(Directive directive)
    {
        if (directive.Rtcp is not { } rtcp)
        {
            _logger.LogWarning("call {Call}: directive {Revision} has no RTCP flows; no media", _call.Id, directive.Revision);
            return false;
        }
        if (!EnsureProtection(directive))
            return false;
        var protection = _protection!;
        bool e2e = protection.IsEndToEndEncrypted;
        var demux = new MediaSession();
        demux.AddRtcpFlow((ulong)rtcp.ReceiveFlow);
        var registry = CodecRegistry.Default;
        var audioOut = Primary(directive.Send, "audio");
        var audioIn = Primary(directive.Receive, "audio");
        uint localSsrc = (uint?)audioOut?.Ssrc ?? (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        var receiveFlows = new List<ulong>();

        if (audioOut is not null)
        {
            IAudioEncoder encoder = registry.CreateAudioEncoder(audioOut.Codec, CodecOptions(audioOut));
            _codecs.Add(encoder);
            var format = new AudioFormat(encoder.Info.SampleRate, Math.Max(1, encoder.Info.Channels));
            // G.711 with CN in the directive: silence leaves as RFC 3389 SID packets (Opus DTX is the encoder's own).
            IAudioEncoder? comfortNoise = null;
            if (ComfortNoiseFlow(directive.Send, audioOut) is { } cn)
            {
                comfortNoise = new ComfortNoiseEncoder(10, cn.ClockRate, (byte)cn.PayloadType);
                _codecs.Add(comfortNoise);
            }
            byte? te = (byte?)Find(directive.Send, "telephone-event")?.PayloadType;
            IDatagramSink sink = _sink;
            if (e2e)
            {
                // Every payload of the audio flow is SFrame-protected: audio, comfort noise and telephone events.
                encoder = new ProtectedAudioEncoder(encoder, protection.Protector);
                comfortNoise = comfortNoise is null ? null : new ProtectedAudioEncoder(comfortNoise, protection.Protector);
                if (te is { } tePayloadType)
                    sink = new ProtectedTelephoneEventSink(_sink, (ulong)audioOut.Flow, tePayloadType, protection.Protector);
            }
            var stream = new AudioSendStream(new AudioSendStreamOptions
            {
                FlowId = (ulong)audioOut.Flow, RtcpFlowId = (ulong)rtcp.SendFlow, Ssrc = localSsrc,
                FrameDuration = FrameDuration, TelephoneEventPayloadType = te,
                // The RFC 6464 level rides in the clear header: an E2E call does not tell the server how loud it is.
                SendAudioLevel = !e2e,
            }, encoder, new CallAudioSource(() => _call.AudioSource, format), sink, comfortNoise);
            demux.AddRtcpHandler(stream);
            Volatile.Write(ref _audioSend, stream);
            _audioSendTick = Tick(stream, () => _sending);
        }
        if (audioIn is not null)
        {
            var decoder = registry.CreateAudioDecoder(audioIn.Codec, CodecOptions(audioIn));
            _codecs.Add(decoder);
            var format = new AudioFormat(decoder.Info.SampleRate, Math.Max(1, decoder.Info.Channels));
            byte? te = (byte?)Find(directive.Receive, "telephone-event")?.PayloadType;
            var cn = ComfortNoiseFlow(directive.Receive, audioIn);
            var comfortNoise = cn is null ? null : new ComfortNoiseDecoder(cn.ClockRate);
            if (comfortNoise is not null)
                _codecs.Add(comfortNoise);
            var stream = new AudioReceiveStream(new AudioReceiveStreamOptions
            {
                RtcpFlowId = (ulong)rtcp.SendFlow, LocalSsrc = localSsrc, FrameDuration = FrameDuration, TelephoneEventPayloadType = te,
                ComfortNoisePayloadType = cn?.PayloadType ?? ComfortNoise.PayloadType,
            }, decoder, new CallAudioSink(() => _call.AudioSink, format), _sink, comfortNoise);
            stream.DtmfReceived += digit => _call.RaiseDtmfReceived(digit.Digit, digit.Duration);
            demux.AddRtpFlow((ulong)audioIn.Flow, e2e ? new ProtectedRtpHandler(stream, protection.Unprotector) : stream);
            demux.AddRtcpHandler(stream);
            receiveFlows.Add((ulong)audioIn.Flow);
            Volatile.Write(ref _audioReceive, stream);
            Tick(stream, Playing);
        }

        var videoOut = Primary(directive.Send, "video");
        var videoIn = Primary(directive.Receive, "video");
        if (videoOut is not null)
        {
            int width = videoOut.Width ?? 640, height = videoOut.Height ?? 360, fps = videoOut.FrameRate ?? 30;
            var encoder = registry.CreateVideoEncoder(videoOut.Codec, new VideoCodecOptions(width, height, videoOut.Bitrate ?? 500_000, fps, fps * 2));
            _codecs.Add(encoder);
            var stream = new VideoSendStream(new VideoSendStreamOptions
            {
                FlowId = (ulong)videoOut.Flow, RtcpFlowId = (ulong)rtcp.SendFlow, Ssrc = (uint?)videoOut.Ssrc ?? localSsrc + 1,
                PayloadType = (byte)videoOut.PayloadType,
            }, _sink, e2e ? null : encoder);
            demux.AddRtcpHandler(stream);
            Volatile.Write(ref _videoSend, stream);
            Tick(stream, () => _live);
            Action<VideoFrame> send = e2e ? new ProtectedVideoSender(stream, encoder, protection.Protector).Send : stream.SendFrame;
            var pump = new VideoFramePump(send, () => _call.VideoSource, fps, _logger);
            Volatile.Write(ref _videoPump, pump);
            Tick(pump, () => _sending);
        }
        if (videoIn is not null)
        {
            var decoder = registry.CreateVideoDecoder(videoIn.Codec);
            _codecs.Add(decoder);
            var options = new VideoReceiveStreamOptions { RtcpFlowId = (ulong)rtcp.SendFlow, LocalSsrc = localSsrc };
            VideoReceiveStream stream;
            if (e2e)
            {
                stream = new VideoReceiveStream(options, _sink);
                stream.AccessUnitReceived += new ProtectedVideoReceiver(decoder, protection.Unprotector, _call.DeliverVideoFrame).OnAccessUnit;
            }
            else
            {
                stream = new VideoReceiveStream(options, _sink, decoder);
                stream.FrameDecoded += _call.DeliverVideoFrame;
            }
            demux.AddRtpFlow((ulong)videoIn.Flow, stream);
            demux.AddRtcpHandler(stream);
            receiveFlows.Add((ulong)videoIn.Flow);
            Volatile.Write(ref _videoReceive, stream);
            Tick(stream, Playing);
        }
        lock (_streamsGate)
        {
            _mediaReceiveFlows = [.. receiveFlows];
            _demux = demux;
        }
        _logger.LogDebug("call {Call}: media running (directive {Revision}, send {Send}, receive {Receive}, e2e {E2e})",
            _call.Id, directive.Revision, audioOut?.Codec, audioIn?.Codec, e2e);
        return true;
    }

    private bool EnsureProtection(Directive directive)
    {
        string? suite = directive.E2e?.Suite;
        string? current = _protection?.CipherSuite is { } s ? SFrameCipherSuites.GetName(s) : null;
        if (_protection is not null && suite == current)
            return true;
        var status = MediaFrameProtection.TryCreate(_options.E2eRequired, suite, _options.SFrameKeyProvider, out var protection);
        if (status != MediaProtectionSetupStatus.Ready || protection is null)
        {
            _logger.LogError("call {Call}: no media: end-to-end protection cannot be set up ({Status})", _call.Id, status);
            return false;
        }
        var previous = _protection;
        if (protection.Receiver is { } receiver)
        {
            receiver.KeyMissing += _call.RaiseE2eKeyMissing;
            receiver.AuthenticationFailed += _call.RaiseE2eAuthenticationFailed;
        }
        Volatile.Write(ref _protection, protection);
        previous?.Dispose();
        return true;
    }

    /// <summary>Receive streams play (and report) once the call is answered or its first packet is here, whichever is first.</summary>
    private bool Playing() => _live || _heard;

    private GatedTickable Tick(IMediaTickable stream, Func<bool> open)
    {
        var gated = new GatedTickable(stream, open);
        _ticking.Add(gated);
        _clock.Register(gated);
        return gated;
    }

    /// <summary>Stops every stream; <paramref name="goodbye"/> announces the end with RTCP BYE (not on a rebuild, whose SSRCs continue).</summary>
    private async Task StopStreamsAsync(bool goodbye)
    {
        foreach (var gated in _ticking)
        {
            _clock.Unregister(gated);
            gated.Close();
        }
        _ticking.Clear();
        _audioSendTick = null;
        lock (_streamsGate)
        {
            _demux = null;
            _mediaReceiveFlows = [];
        }
        if (_videoPump is { } pump)
            await pump.InFlight.ConfigureAwait(false);
        Volatile.Write(ref _videoPump, null);
        if (goodbye)
        {
            _audioSend?.SendGoodbye();
            _videoSend?.SendGoodbye();
        }
        Volatile.Write(ref _audioSend, null);
        Volatile.Write(ref _audioReceive, null);
        Volatile.Write(ref _videoSend, null);
        Volatile.Write(ref _videoReceive, null);
        foreach (var codec in _codecs)
            codec.Dispose();
        _codecs.Clear();
    }

    private Task StartPump(IMediaSession session, CancellationToken cancellationToken) => Task.Run(() => PumpAsync(session, cancellationToken), CancellationToken.None);

    private async Task PumpAsync(IMediaSession session, CancellationToken cancellationToken)
    {
        try
        {
            if (session is IPushMediaSession push)
            {
                // Datagrams go straight from the connection's receive loop into the demultiplexer.
                await push.ReceiveAllAsync(Deliver, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var buffer = new byte[64 * 1024];
                int length;
                while (!cancellationToken.IsCancellationRequested && (length = await session.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    Deliver(buffer.AsSpan(0, length));
            }
            _logger.LogDebug("call {Call}: media session ended", _call.Id);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning(e, "call {Call}: media session receive failed", _call.Id);
        }
        // Lost, not replaced or closed by us: the call reopens it while it is up.
        if (!cancellationToken.IsCancellationRequested)
            _call.OnMediaSessionLost(this);
    }

    private void Deliver(ReadOnlySpan<byte> datagram)
    {
        Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
        lock (_streamsGate)
        {
            if (_demux is not { } demux)
                return;
            _heard = true;
            if (!_receiving && RtpDatagram.TryRead(datagram, out ulong flow, out _) && Array.IndexOf(_mediaReceiveFlows, flow) >= 0)
                return; // held: what still arrives is not played
            try
            {
                demux.OnDatagram(datagram, _clock.Now);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogWarning(e, "call {Call}: media datagram dropped", _call.Id);
            }
        }
    }

    private static FlowDirective? Primary(IReadOnlyList<FlowDirective> flows, string media)
    {
        foreach (var f in flows)
        {
            if (f.Media == media && f.Codec is not ("telephone-event" or "CN"))
                return f;
        }
        return null;
    }

    private static FlowDirective? Find(IReadOnlyList<FlowDirective> flows, string codec)
    {
        foreach (var f in flows)
        {
            if (string.Equals(f.Codec, codec, StringComparison.OrdinalIgnoreCase))
                return f;
        }
        return null;
    }

    /// <summary>The CN flow that goes with <paramref name="primary"/>: G.711 only (Opus has DTX), at the audio's 8 kHz clock.</summary>
    private static FlowDirective? ComfortNoiseFlow(IReadOnlyList<FlowDirective> flows, FlowDirective primary)
    {
        if (primary.Codec is not ("PCMU" or "PCMA"))
            return null;
        var cn = Find(flows, "CN");
        return cn is { ClockRate: 8000, PayloadType: >= 0 and <= 127 } && cn.Flow == primary.Flow ? cn : null;
    }

    private static AudioCodecOptions CodecOptions(FlowDirective flow)
    {
        bool opus = string.Equals(flow.Codec, "opus", StringComparison.OrdinalIgnoreCase);
        return new AudioCodecOptions(
            SampleRate: opus ? 48000 : flow.ClockRate,
            Channels: opus ? Math.Clamp(flow.Channels ?? 1, 1, 2) : 1,
            FrameMs: (int)FrameDuration.TotalMilliseconds,
            Bitrate: flow.Bitrate ?? 32000,
            InbandFec: flow.Fec ?? false,
            Dtx: flow.Dtx ?? false,
            PayloadType: (byte)flow.PayloadType);
    }
}
