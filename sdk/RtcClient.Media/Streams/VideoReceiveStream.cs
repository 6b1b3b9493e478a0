using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Packetization;
using RtcClient.Media.Rtcp;
using RtcClient.Media.Rtp;
using RtcClient.Media.Statistics;

namespace RtcClient.Media.Streams;

/// <summary>
/// Receives one H.264 stream: packets are depacketized and assembled into access units (reordering
/// tolerated); sequence gaps trigger generic NACKs; a gap that stays open, a broken FU-A or an
/// oversized frame makes the stream send PLI (rate-limited, on clock ticks) until a key frame
/// arrives. Complete access units go to the decoder (if any) and to <see cref="AccessUnitReceived"/>.
/// </summary>
public sealed class VideoReceiveStream : IMediaTickable, IRtpPacketHandler, IRtcpPacketHandler
{
    private readonly VideoReceiveStreamOptions _options;
    private readonly IDatagramSink? _rtcpSink;
    private readonly IVideoDecoder? _decoder;
    private readonly H264FrameAssembler _assembler;
    private readonly RtpReceptionTracker _tracker = new();
    private readonly RtcpReceptionReporter _reporter = new();
    private readonly Lock _gate = new();
    private uint _remoteSsrc;
    private bool _haveRemote;
    private long _highest = -1;
    private TimeSpan? _lastPli;
    private TimeSpan _nextRtcp;
    private long _packets, _bytes, _malformed, _plis, _nacked;

    /// <summary>Creates the stream; <paramref name="rtcpSink"/> carries NACK/PLI/RR (null: no feedback).</summary>
    public VideoReceiveStream(VideoReceiveStreamOptions options, IDatagramSink? rtcpSink, IVideoDecoder? decoder = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _rtcpSink = rtcpSink;
        _decoder = decoder;
        _assembler = new H264FrameAssembler(OnAccessUnit, reorderWindow: options.ReorderWindow);
    }

    /// <summary>Raised for each complete access unit (Annex-B, 90 kHz timestamp, key frame flag).</summary>
    public event H264AccessUnitHandler? AccessUnitReceived;

    /// <summary>Raised for each decoded picture when a decoder is set.</summary>
    public event Action<VideoFrame>? FrameDecoded;

    /// <summary>Assembler counters.</summary>
    public H264AssemblerStatistics AssemblerStatistics
    {
        get
        {
            lock (_gate)
                return _assembler.Statistics;
        }
    }

    /// <summary>Current statistics.</summary>
    public MediaStreamStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new MediaStreamStatistics
                {
                    PacketsReceived = _packets,
                    BytesReceived = _bytes,
                    PacketsLost = _tracker.PacketsLost,
                    Malformed = _malformed,
                    Jitter = TimeSpan.FromTicks((long)_tracker.Jitter * TimeSpan.TicksPerSecond / 90000),
                    KeyFrameRequests = _plis,
                    Retransmissions = _nacked,
                    Frames = _assembler.Statistics.FramesCompleted,
                    RoundTripTime = _reporter.RoundTripTime,
                };
            }
        }
    }

    /// <inheritdoc/>
    public void OnRtpPacket(ReadOnlySpan<byte> packet, TimeSpan arrival)
    {
        lock (_gate)
        {
            if (RtpPacket.TryParse(packet, out var rtp) != RtpParseStatus.Ok || rtp.Payload.IsEmpty)
            {
                _malformed++;
                return;
            }
            if (_haveRemote && rtp.Ssrc != _remoteSsrc)
            {
                _tracker.Reset();
                _highest = -1;
            }
            _remoteSsrc = rtp.Ssrc;
            _haveRemote = true;
            _tracker.Update(rtp.SequenceNumber, rtp.Timestamp, (uint)(arrival.Ticks * 90000 / TimeSpan.TicksPerSecond));
            _packets++;
            _bytes += packet.Length;
            if (_options.EnableNack)
                NackGap(rtp.SequenceNumber);
            _assembler.Insert(rtp.SequenceNumber, rtp.Timestamp, rtp.Marker, rtp.Payload);
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
            if (_rtcpSink is null || !_haveRemote)
                return;
            Span<byte> buffer = stackalloc byte[128];
            int n = FlowIdVarint.Write(buffer, _options.RtcpFlowId);
            int start = n;
            if (now >= _nextRtcp)
            {
                _nextRtcp = now + _options.RtcpInterval;
                Span<RtcpReportBlock> blocks = [_reporter.CreateReportBlock(_remoteSsrc, _tracker, _tracker.Jitter, now)];
                n += RtcpWriter.WriteReceiverReport(buffer[n..], _options.LocalSsrc, blocks);
            }
            if (_assembler.KeyFrameNeeded && (_lastPli is not { } last || now - last >= _options.PliInterval))
            {
                _lastPli = now;
                _plis++;
                n += RtcpWriter.WritePictureLossIndication(buffer[n..], _options.LocalSsrc, _remoteSsrc);
            }
            if (n > start)
                _rtcpSink.TrySend(buffer[..n]);
        }
    }

    private void NackGap(ushort sequenceNumber)
    {
        long seq = _highest < 0 ? sequenceNumber + 65536L : _highest + (short)(sequenceNumber - (ushort)_highest);
        if (_highest >= 0 && seq > _highest + 1 && _rtcpSink is not null)
        {
            int missing = (int)Math.Min(seq - _highest - 1, 64);
            Span<ushort> lost = stackalloc ushort[64];
            for (int i = 0; i < missing; i++)
                lost[i] = (ushort)(seq - missing + i);
            Span<byte> buffer = stackalloc byte[8 + 12 + 4 * 64];
            int n = FlowIdVarint.Write(buffer, _options.RtcpFlowId);
            n += RtcpWriter.WriteGenericNack(buffer[n..], _options.LocalSsrc, _remoteSsrc, lost[..missing]);
            if (_rtcpSink.TrySend(buffer[..n]))
                _nacked += missing;
        }
        if (_highest < 0 || seq > _highest)
            _highest = seq;
    }

    private void OnAccessUnit(ReadOnlySpan<byte> accessUnit, uint timestamp, bool isKeyFrame)
    {
        AccessUnitReceived?.Invoke(accessUnit, timestamp, isKeyFrame);
        if (_decoder is not null && _decoder.Decode(accessUnit, timestamp) is { } picture)
            FrameDecoded?.Invoke(picture);
    }
}
