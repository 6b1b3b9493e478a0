using System.Buffers;
using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Packetization;
using RtcClient.Media.Rtcp;
using RtcClient.Media.Rtp;
using RtcClient.Media.Statistics;

namespace RtcClient.Media.Streams;

/// <summary>
/// Sends one H.264 stream: access units are packetized per RFC 6184 to the transport's datagram
/// limit and sent behind the flow id; packets are kept in a bounded history to answer generic NACKs
/// (resent unchanged); a PLI makes the encoder produce a key frame. Sends SR + SDES on clock ticks.
/// </summary>
public sealed class VideoSendStream : IMediaTickable, IRtcpPacketHandler
{
    private const int MaxPacket = 1500;

    private readonly VideoSendStreamOptions _options;
    private readonly IDatagramSink _sink;
    private readonly IVideoEncoder? _encoder;
    private readonly H264Packetizer _packetizer;
    private readonly RtcpReceptionReporter _feedback = new();
    private readonly Lock _gate = new();
    private readonly byte[] _history;
    private readonly int[] _historyLengths;
    private readonly int[] _historySeqs;
    private readonly int _mask;
    private readonly byte[] _datagram = new byte[MaxPacket];
    private readonly ArrayBufferWriter<byte> _encoded = new(64 * 1024);
    private readonly int _flowIdLength;
    private TimeSpan _nextRtcp;
    private uint _lastTimestamp;
    private long _packets, _bytes, _frames, _keyFrameRequests, _retransmissions;

    /// <summary>Creates the stream; <paramref name="encoder"/> is optional when access units are sent directly.</summary>
    public VideoSendStream(VideoSendStreamOptions options, IDatagramSink sink, IVideoEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        if (options.HistorySize < 16 || (options.HistorySize & (options.HistorySize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(options), "HistorySize must be a power of two of at least 16");
        _options = options;
        _sink = sink;
        _encoder = encoder;
        _packetizer = new H264Packetizer(options.PayloadType, options.Ssrc, options.InitialSequenceNumber);
        _mask = options.HistorySize - 1;
        _history = new byte[options.HistorySize * MaxPacket];
        _historyLengths = new int[options.HistorySize];
        _historySeqs = new int[options.HistorySize];
        _historySeqs.AsSpan().Fill(-1);
        _flowIdLength = FlowIdVarint.Write(_datagram, options.FlowId);
    }

    /// <summary>Raised (on the thread delivering RTCP) when the receiver asked for a key frame with PLI.</summary>
    public event Action? KeyFrameRequested;

    /// <summary>Current statistics.</summary>
    public MediaStreamStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new MediaStreamStatistics
                {
                    PacketsSent = _packets,
                    BytesSent = _bytes,
                    Frames = _frames,
                    KeyFrameRequests = _keyFrameRequests,
                    Retransmissions = _retransmissions,
                    RoundTripTime = _feedback.RoundTripTime,
                    PacketsLost = _feedback.RemoteCumulativeLost,
                    LossRate = _feedback.RemoteFractionLost,
                };
            }
        }
    }

    /// <summary>Encodes and sends a raw frame (requires an encoder); its timestamp is in 90 kHz units.</summary>
    public void SendFrame(VideoFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_encoder is null)
            throw new InvalidOperationException("no encoder: use SendAccessUnit");
        lock (_gate)
        {
            _encoded.Clear();
            _encoder.Encode(frame, _encoded);
            SendLocked(_encoded.WrittenMemory, (uint)frame.Timestamp);
        }
    }

    /// <summary>Packetizes and sends one Annex-B access unit with a 90 kHz timestamp.</summary>
    public void SendAccessUnit(ReadOnlyMemory<byte> accessUnit, uint timestamp)
    {
        lock (_gate)
            SendLocked(accessUnit, timestamp);
    }

    /// <inheritdoc/>
    public void OnTick(TimeSpan now)
    {
        lock (_gate)
        {
            if (now < _nextRtcp)
                return;
            _nextRtcp = now + _options.RtcpInterval;
            RtcpDatagrams.SendSenderReport(_sink, _options.RtcpFlowId, _options.Ssrc,
                new RtcpSenderInfo(NtpTime.FromTimeSpan(now), _lastTimestamp, (uint)_packets, (uint)_bytes), _options.Cname);
        }
    }

    /// <summary>Announces the end of the stream with an RTCP BYE (unregister it from the clock as well).</summary>
    public void SendGoodbye()
    {
        lock (_gate)
            RtcpDatagrams.SendGoodbye(_sink, _options.RtcpFlowId, _options.Ssrc);
    }

    /// <inheritdoc/>
    public void OnRtcpPacket(ReadOnlySpan<byte> compound, TimeSpan arrival)
    {
        bool keyFrame = false;
        lock (_gate)
        {
            var reader = new RtcpCompoundReader(compound);
            Span<ushort> lost = stackalloc ushort[64];
            while (reader.TryReadNext(out var packet))
            {
                if (packet.IsPictureLossIndication && packet.MediaSsrc == _options.Ssrc)
                {
                    _keyFrameRequests++;
                    keyFrame = true;
                }
                else if (packet.IsGenericNack && packet.MediaSsrc == _options.Ssrc)
                {
                    int count = packet.GetNackedSequenceNumbers(lost);
                    for (int i = 0; i < count; i++)
                        Retransmit(lost[i]);
                }
                for (int i = 0; i < packet.ReportBlockCount; i++)
                {
                    var block = packet.GetReportBlock(i);
                    if (block.Ssrc == _options.Ssrc)
                        _feedback.OnReportBlock(block, arrival);
                }
            }
            if (keyFrame)
                _encoder?.RequestKeyFrame();
        }
        if (keyFrame)
            KeyFrameRequested?.Invoke();
    }

    private void SendLocked(ReadOnlyMemory<byte> accessUnit, uint timestamp)
    {
        int maxPacket = Math.Min(MaxPacket, _sink.MaxDatagramSize) - _flowIdLength;
        _packetizer.Begin(accessUnit, timestamp, maxPacket);
        _lastTimestamp = timestamp;
        _frames++;
        var packet = _datagram.AsSpan(_flowIdLength, maxPacket);
        while (_packetizer.TryNext(packet, out int length))
        {
            ushort seq = (ushort)((packet[2] << 8) | packet[3]);
            int slot = seq & _mask;
            packet[..length].CopyTo(_history.AsSpan(slot * MaxPacket));
            _historyLengths[slot] = length;
            _historySeqs[slot] = seq;
            if (_sink.TrySend(_datagram.AsSpan(0, _flowIdLength + length)))
            {
                _packets++;
                _bytes += length;
            }
        }
    }

    private void Retransmit(ushort seq)
    {
        int slot = seq & _mask;
        if (_historySeqs[slot] != seq)
            return; // too old: the receiver will give up on it and ask for a key frame
        Span<byte> datagram = stackalloc byte[MaxPacket + 8];
        int n = FlowIdVarint.Write(datagram, _options.FlowId);
        _history.AsSpan(slot * MaxPacket, _historyLengths[slot]).CopyTo(datagram[n..]);
        if (_sink.TrySend(datagram[..(n + _historyLengths[slot])]))
            _retransmissions++;
    }
}
