using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Dtmf;
using RtcClient.Media.Jitter;
using RtcClient.Media.Rtcp;
using RtcClient.Media.Rtp;
using RtcClient.Media.Statistics;
using RtcClient.Media.Io;

namespace RtcClient.Media.Streams;

/// <summary>
/// Receives one audio stream: RTP packets go through reception statistics into the adaptive jitter
/// buffer (telephone events to the DTMF receiver); every clock tick plays one frame into the sink.
/// Sends receiver reports, reads sender reports for LSR/DLSR and RTT, and estimates MOS with the
/// E-model. Malformed packets are counted and dropped. Allocation-free per packet and tick.
/// </summary>
public sealed class AudioReceiveStream : IMediaTickable, IRtpPacketHandler, IRtcpPacketHandler
{
    private readonly AudioReceiveStreamOptions _options;
    private readonly IAudioFrameSink? _sink;
    private readonly IDatagramSink? _rtcpSink;
    private readonly AudioJitterBuffer _jitterBuffer;
    private readonly RtpReceptionTracker _tracker = new();
    private readonly RtcpReceptionReporter _reporter = new();
    private readonly DtmfReceiver _dtmf;
    private readonly BitrateMeter _bitrate = new();
    private readonly EModel.CodecImpairment _impairment;
    private readonly Lock _gate = new();
    private readonly short[] _pcm;
    private readonly int _clockRate;
    private uint _remoteSsrc;
    private bool _haveRemote;
    private TimeSpan _nextRtcp;
    private TimeSpan _now;
    private long _packets, _bytes, _malformed, _totalSamples;

    /// <summary>
    /// Creates the stream. <paramref name="rtcpSink"/> carries receiver reports (null: none sent);
    /// <paramref name="comfortNoise"/> is an RFC 3389 decoder for silence periods (null: silence).
    /// </summary>
    public AudioReceiveStream(AudioReceiveStreamOptions options, IAudioDecoder decoder, IAudioFrameSink? sink, IDatagramSink? rtcpSink, IAudioDecoder? comfortNoise = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(decoder);
        _options = options;
        _sink = sink;
        _rtcpSink = rtcpSink;
        var info = decoder.Info;
        _clockRate = info.ClockRate;
        _impairment = EModel.CodecImpairment.ForCodec(info.Name);
        _jitterBuffer = new AudioJitterBuffer(new AudioJitterBufferOptions
        {
            ClockRate = info.ClockRate,
            FrameDuration = options.FrameDuration,
            Capacity = options.JitterBufferCapacity,
            MaxDelay = options.MaxDelay,
            MaxPayloadSize = MaxPayloadFor(info, options.FrameDuration),
            ComfortNoisePayloadType = options.ComfortNoisePayloadType,
        }, decoder, comfortNoise);
        _pcm = new short[_jitterBuffer.FrameSamples * _jitterBuffer.Channels];
        _dtmf = new DtmfReceiver(info.ClockRate);
    }

    /// <summary>Received DTMF digits (raised on the thread that delivers packets or ticks).</summary>
    public event Action<DtmfDigit>? DtmfReceived
    {
        add => _dtmf.DigitReceived += value;
        remove => _dtmf.DigitReceived -= value;
    }

    /// <summary>Jitter buffer counters.</summary>
    public JitterBufferStatistics JitterBufferStatistics
    {
        get
        {
            lock (_gate)
                return _jitterBuffer.Statistics;
        }
    }

    /// <summary>Current statistics including the E-model estimate.</summary>
    public MediaStreamStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                var jb = _jitterBuffer.Statistics;
                long expected = _tracker.PacketsExpected;
                double loss = expected > 0 ? Math.Max(0, (double)_tracker.PacketsLost / expected) : 0;
                var rtt = _reporter.RoundTripTime;
                // Mouth-to-ear: network (half RTT, or unknown = 0), buffering, one frame of packetization.
                var oneWay = (rtt ?? TimeSpan.Zero) / 2 + jb.CurrentDelay + _options.FrameDuration;
                double r = EModel.RFactor(_impairment, oneWay, loss * 100);
                return new MediaStreamStatistics
                {
                    PacketsReceived = _packets,
                    BytesReceived = _bytes,
                    PacketsLost = _tracker.PacketsLost,
                    LossRate = loss,
                    Malformed = _malformed,
                    Jitter = TimeSpan.FromTicks((long)_tracker.Jitter * TimeSpan.TicksPerSecond / _clockRate),
                    RoundTripTime = rtt,
                    ConcealedSamples = jb.ConcealedSamples,
                    ComfortNoiseSamples = jb.ComfortNoiseSamples,
                    TotalSamples = _totalSamples,
                    PlayoutDelay = jb.CurrentDelay,
                    TargetDelay = jb.TargetDelay,
                    Bitrate = _bitrate.Bitrate(_now),
                    RFactor = r,
                    MeanOpinionScore = EModel.Mos(r),
                };
            }
        }
    }

    /// <inheritdoc/>
    public void OnRtpPacket(ReadOnlySpan<byte> packet, TimeSpan arrival)
    {
        lock (_gate)
        {
            if (RtpPacket.TryParse(packet, out var rtp) != RtpParseStatus.Ok)
            {
                _malformed++;
                return;
            }
            bool telephoneEvent = rtp.PayloadType == _options.TelephoneEventPayloadType;
            var result = telephoneEvent
                ? _jitterBuffer.InsertPlaceholder(rtp.SequenceNumber, rtp.Timestamp, rtp.Ssrc, arrival)
                : _jitterBuffer.Insert(rtp, arrival);
            if (result == JitterInsertResult.Discontinuity)
                return; // an unconfirmed jump or foreign SSRC: counted by the jitter buffer, kept out of the statistics
            if (_haveRemote && rtp.Ssrc != _remoteSsrc)
                _tracker.Reset();
            _remoteSsrc = rtp.Ssrc;
            _haveRemote = true;
            _tracker.Update(rtp.SequenceNumber, rtp.Timestamp, (uint)(arrival.Ticks * _clockRate / TimeSpan.TicksPerSecond));
            _packets++;
            _bytes += packet.Length;
            _bitrate.Add(arrival, packet.Length);
            if (telephoneEvent)
                _dtmf.Process(rtp, arrival);
        }
    }

    /// <inheritdoc/>
    public void OnRtcpPacket(ReadOnlySpan<byte> compound, TimeSpan arrival)
    {
        lock (_gate)
            _reporter.Process(compound, _haveRemote ? _remoteSsrc : null, _options.LocalSsrc, arrival);
    }

    /// <inheritdoc/>
    public void OnTick(TimeSpan now)
    {
        lock (_gate)
        {
            int missed = _now == TimeSpan.Zero ? 0 : (int)((now - _now).Ticks / _options.FrameDuration.Ticks) - 1;
            if (missed > 0)
                _jitterBuffer.SkipFrames(missed); // the clock skipped ticks: that audio's playout time has passed
            _now = now;
            _jitterBuffer.Read(now, _pcm);
            _totalSamples += _jitterBuffer.FrameSamples;
            _dtmf.OnTick(now);
            if (_rtcpSink is not null && _haveRemote && now >= _nextRtcp)
            {
                _nextRtcp = now + _options.RtcpInterval;
                SendReceiverReport(now);
            }
        }
        _sink?.WriteFrame(_pcm);
    }

    // G.711 frames have a fixed size, so slots can be small (memory per stream matters with hundreds of calls);
    // other codecs get the largest Opus frame (1275 bytes).
    private static int MaxPayloadFor(AudioCodecInfo info, TimeSpan frame) =>
        info.Name is "PCMU" or "PCMA"
            ? (int)(info.SampleRate * frame.Ticks / TimeSpan.TicksPerSecond) * Math.Max(1, info.Channels) + 16
            : 1275;

    private void SendReceiverReport(TimeSpan now)
    {
        Span<byte> buffer = stackalloc byte[64];
        int n = FlowIdVarint.Write(buffer, _options.RtcpFlowId);
        Span<RtcpReportBlock> blocks = [_reporter.CreateReportBlock(_remoteSsrc, _tracker, _tracker.Jitter, now)];
        n += RtcpWriter.WriteReceiverReport(buffer[n..], _options.LocalSsrc, blocks);
        _rtcpSink!.TrySend(buffer[..n]);
    }
}
