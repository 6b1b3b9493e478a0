using System.Security.Cryptography;
using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Dtmf;
using RtcClient.Media.Packetization;
using RtcClient.Media.Rtcp;
using RtcClient.Media.Rtp;
using RtcClient.Media.Statistics;
using RtcClient.Media.Io;

namespace RtcClient.Media.Streams;

/// <summary>
/// Sends one audio stream: on every clock tick pulls a frame from the source, encodes it,
/// packetizes it as RTP (with the audio level extension) and sends it as a datagram behind the flow
/// id; sends queued DTMF digits as telephone events instead of audio; sends SR + SDES periodically
/// and learns RTT and remote loss from receiver reports. Allocation-free per tick.
/// </summary>
public sealed class AudioSendStream : IMediaTickable, IRtcpPacketHandler
{
    private const int BufferSize = 1500;

    private readonly AudioSendStreamOptions _options;
    private readonly IAudioEncoder _encoder;
    private readonly IAudioEncoder? _comfortNoise;
    private int _silentFrames;
    private readonly IAudioFrameSource _source;
    private readonly IDatagramSink _sink;
    private readonly AudioPacketizer _packetizer;
    private readonly DtmfSender? _dtmf;
    private readonly RtcpReceptionReporter _feedback = new();
    private readonly BitrateMeter _bitrate = new();
    private readonly Lock _gate = new();
    private readonly short[] _pcm;
    private readonly byte[] _payload = new byte[BufferSize];
    private readonly byte[] _datagram = new byte[BufferSize];
    private readonly int _flowIdLength;
    private TimeSpan _nextRtcp;
    private long _packetsSent, _bytesSent, _sendFailures;
    private TimeSpan _now;

    /// <summary>
    /// Creates the stream; register it on the media clock to start sending. With
    /// <paramref name="comfortNoise"/> (an RFC 3389 encoder, payload type 13) silent frames are replaced
    /// by occasional SID packets (DTX); the receiver plays comfort noise in between.
    /// </summary>
    public AudioSendStream(AudioSendStreamOptions options, IAudioEncoder encoder, IAudioFrameSource source, IDatagramSink sink, IAudioEncoder? comfortNoise = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        _options = options;
        _encoder = encoder;
        _comfortNoise = comfortNoise;
        _source = source;
        _sink = sink;
        var info = encoder.Info;
        _pcm = new short[(int)(info.SampleRate * options.FrameDuration.Ticks / TimeSpan.TicksPerSecond) * Math.Max(1, info.Channels)];
        _packetizer = new AudioPacketizer(info.PayloadType, options.Ssrc, info.ClockRate, options.FrameDuration,
            options.InitialSequenceNumber ?? (ushort)RandomNumberGenerator.GetInt32(65536),
            options.InitialTimestamp ?? (uint)RandomNumberGenerator.GetInt32(int.MaxValue));
        if (options.TelephoneEventPayloadType is { } te)
            _dtmf = new DtmfSender(_packetizer, te);
        _flowIdLength = FlowIdVarint.Write(_datagram, options.FlowId);
    }

    /// <summary>Our SSRC.</summary>
    public uint Ssrc => _options.Ssrc;

    /// <summary>Queues a DTMF digit (0-9, *, #, A-D); false when DTMF is off, the digit invalid or the queue full.</summary>
    public bool SendDtmf(char digit, TimeSpan duration)
    {
        lock (_gate)
            return _dtmf?.Enqueue(digit, duration) ?? false;
    }

    /// <summary>True while DTMF digits are queued or being sent.</summary>
    public bool IsSendingDtmf
    {
        get
        {
            lock (_gate)
                return _dtmf?.IsBusy ?? false;
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
                    PacketsSent = _packetsSent,
                    BytesSent = _bytesSent,
                    PacketsLost = _feedback.RemoteCumulativeLost,
                    LossRate = _feedback.RemoteFractionLost,
                    Jitter = TimeSpan.FromTicks((long)_feedback.RemoteJitter * TimeSpan.TicksPerSecond / _packetizer.ClockRate),
                    RoundTripTime = _feedback.RoundTripTime,
                    Bitrate = _bitrate.Bitrate(_now),
                };
            }
        }
    }

    /// <summary>Datagrams the sink refused.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <inheritdoc/>
    public void OnTick(TimeSpan now)
    {
        lock (_gate)
        {
            // Ticks the clock skipped (overload) still passed for the sampling clock: keep timestamps on real time.
            int missed = _now == TimeSpan.Zero ? 0 : (int)((now - _now).Ticks / _options.FrameDuration.Ticks) - 1;
            for (int i = 0; i < missed && i < 50; i++)
                _packetizer.Skip();
            _now = now;
            bool haveAudio = _source.ReadFrame(_pcm);
            var packet = _datagram.AsSpan(_flowIdLength);
            int length;
            if (_dtmf is { IsBusy: true })
            {
                length = _dtmf.OnFrame(packet);
            }
            else if (!haveAudio)
            {
                _packetizer.Skip();
                length = 0;
            }
            else if (_comfortNoise is not null && AudioLevel.Measure(_pcm).Level >= _options.SilenceThresholdDbov)
            {
                length = SendSilence(packet);
            }
            else
            {
                _silentFrames = 0;
                int maxPayload = Math.Min(BufferSize, _sink.MaxDatagramSize) - _flowIdLength - RtpPacket.FixedHeaderLength - 8;
                int payloadLength = maxPayload > 0 ? _encoder.Encode(_pcm, _payload.AsSpan(0, maxPayload)) : 0;
                if (payloadLength == 0)
                {
                    _packetizer.Skip(); // DTX: nothing to send this frame
                    length = 0;
                }
                else
                {
                    AudioLevel? level = _options.SendAudioLevel ? AudioLevel.Measure(_pcm) : null;
                    length = _packetizer.Packetize(_payload.AsSpan(0, payloadLength), packet, level);
                }
            }
            if (length > 0)
                Send(_datagram.AsSpan(0, _flowIdLength + length), now);
            if (now >= _nextRtcp)
            {
                _nextRtcp = now + _options.RtcpInterval;
                SendSenderReport(now);
            }
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
        lock (_gate)
            _feedback.Process(compound, null, _options.Ssrc, arrival);
    }

    private int SendSilence(Span<byte> packet)
    {
        // DTX per RFC 3389: a SID at the start of silence and every few frames after, nothing in between.
        if (_silentFrames++ % Math.Max(1, _options.ComfortNoiseUpdateFrames) != 0)
        {
            _packetizer.Skip();
            return 0;
        }
        int sid = _comfortNoise!.Encode(_pcm, _payload);
        if (sid == 0)
        {
            _packetizer.Skip();
            return 0;
        }
        return _packetizer.Packetize(_payload.AsSpan(0, sid), packet, null, _comfortNoise.Info.PayloadType);
    }

    private void Send(ReadOnlySpan<byte> datagram, TimeSpan now)
    {
        if (_sink.TrySend(datagram))
        {
            _packetsSent++;
            _bytesSent += datagram.Length - _flowIdLength;
            _bitrate.Add(now, datagram.Length - _flowIdLength);
        }
        else
        {
            _sendFailures++;
        }
    }

    private void SendSenderReport(TimeSpan now)
    {
        var info = new RtcpSenderInfo(NtpTime.FromTimeSpan(now), _packetizer.Timestamp, (uint)_packetsSent, (uint)_bytesSent);
        if (!RtcpDatagrams.SendSenderReport(_sink, _options.RtcpFlowId, _options.Ssrc, info, _options.Cname))
            _sendFailures++;
    }
}
