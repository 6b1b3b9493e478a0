using RtcClient.Media.Packetization;
using RtcClient.Media.Rtp;

namespace RtcClient.Media.Dtmf;

/// <summary>
/// Sends DTMF as RFC 4733 telephone events inside an audio stream: the first packet carries the
/// marker bit; updates with growing duration follow every update interval; the end is sent three
/// times (E bit, final duration). All packets of an event share the event's start timestamp and take
/// fresh sequence numbers from the stream. An event longer than the 16-bit duration field holds (1.37 s
/// at Opus's 48 kHz clock, 8.2 s at 8 kHz) goes out in segments (RFC 4733 section 2.5.2.3): a segment
/// ends with a report of the full field, and the next one starts where it ended, without the marker.
/// Digits queue up; the audio is suppressed while one plays.
/// </summary>
public sealed class DtmfSender
{
    private const int QueueCapacity = 64;
    private const int EndRepeats = 3;
    private const uint SegmentLength = ushort.MaxValue;

    /// <summary>The longest digit that can be queued.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    private readonly AudioPacketizer _packetizer;
    private readonly byte _payloadType;
    private readonly byte[] _queue = new byte[QueueCapacity];
    private readonly uint[] _durations = new uint[QueueCapacity];
    private readonly uint _updateInterval;
    private readonly uint _gap;
    private int _head;
    private int _count;
    private bool _active;
    private byte _event;
    private uint _target;
    private uint _startTs;
    private uint _segmentStart; // of _elapsed: where the current segment began
    private uint _elapsed;
    private uint _lastSent;
    private int _endsSent;
    private uint _gapLeft;
    private int _packetsSent;

    /// <summary>
    /// Creates a sender sharing <paramref name="packetizer"/>'s sequence numbers and timeline.
    /// </summary>
    public DtmfSender(AudioPacketizer packetizer, byte payloadType, TimeSpan? updateInterval = null, TimeSpan? interDigitGap = null, byte volume = 10)
    {
        ArgumentNullException.ThrowIfNull(packetizer);
        _packetizer = packetizer;
        _payloadType = payloadType;
        Volume = volume;
        _updateInterval = ToTs(updateInterval ?? TimeSpan.FromMilliseconds(50));
        _gap = ToTs(interDigitGap ?? TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Volume in -dBm0 put in every packet.</summary>
    public byte Volume { get; }

    /// <summary>True while an event (or its end packets, or the pause after it) is being sent: audio is suppressed.</summary>
    public bool IsBusy => _active || _count > 0 || _gapLeft > 0;

    /// <summary>Events queued or playing.</summary>
    public int Pending => _count + (_active ? 1 : 0);

    /// <summary>
    /// Queues a digit lasting <paramref name="duration"/> (at least one frame, at most <see cref="MaxDuration"/>);
    /// false when the character is not DTMF, the duration is out of range or the queue is full.
    /// </summary>
    public bool Enqueue(char digit, TimeSpan duration)
    {
        int code = TelephoneEvent.FromDigit(digit);
        if (code < 0 || _count == QueueCapacity || duration > MaxDuration || duration < TimeSpan.Zero)
            return false;
        uint ts = Math.Max(ToTs(duration), _packetizer.FrameTimestampUnits);
        int tail = (_head + _count) % QueueCapacity;
        _queue[tail] = (byte)code;
        _durations[tail] = ts;
        _count++;
        return true;
    }

    /// <summary>
    /// Called once per frame tick by the send stream instead of packetizing audio while
    /// <see cref="IsBusy"/>. Writes at most one packet; returns its length (0 = nothing to send this tick).
    /// Advances the stream's timeline by one frame.
    /// </summary>
    public int OnFrame(Span<byte> destination)
    {
        uint frame = _packetizer.FrameTimestampUnits;
        if (!_active)
        {
            if (_gapLeft > 0)
            {
                _gapLeft = _gapLeft > frame ? _gapLeft - frame : 0;
                _packetizer.Skip();
                return 0;
            }
            if (_count == 0)
                return 0;
            _event = _queue[_head];
            _target = _durations[_head];
            _head = (_head + 1) % QueueCapacity;
            _count--;
            _active = true;
            _startTs = _packetizer.Timestamp;
            _segmentStart = 0;
            _elapsed = 0;
            _endsSent = 0;
            _packetsSent = 0;
        }
        _packetizer.Skip();
        if (_endsSent > 0)
            return SendEnd(destination);
        bool first = _elapsed == 0;
        _elapsed = Math.Min(_elapsed + frame, _target);
        // A segment ends when its duration field is full, unless the event's end fits it exactly.
        if (_elapsed - _segmentStart >= SegmentLength && _target - _segmentStart > SegmentLength)
        {
            // The duration field is full: this segment's last report, then the next segment starts where it ends.
            int n = Write(destination, end: false, ushort.MaxValue);
            _segmentStart += SegmentLength;
            _lastSent = _elapsed;
            return n;
        }
        if (_elapsed >= _target)
            return SendEnd(destination);
        if (!first && _elapsed - _lastSent < _updateInterval)
            return 0;
        _lastSent = _elapsed;
        return Write(destination, end: false, (ushort)(_elapsed - _segmentStart));
    }

    private int SendEnd(Span<byte> destination)
    {
        int n = Write(destination, end: true, (ushort)(_target - _segmentStart));
        if (++_endsSent == EndRepeats)
        {
            _active = false;
            _lastSent = 0;
            _gapLeft = _gap;
        }
        return n;
    }

    private int Write(Span<byte> destination, bool end, ushort duration)
    {
        bool marker = _packetsSent++ == 0; // marker on the first packet of the event only
        Span<byte> payload = stackalloc byte[TelephoneEvent.Length];
        new TelephoneEvent(_event, end, Volume, duration).Write(payload);
        var header = new RtpHeader(_payloadType, _packetizer.TakeSequenceNumber(), _startTs + _segmentStart, _packetizer.Ssrc, marker);
        return RtpPacketWriter.Write(destination, header, payload);
    }

    private uint ToTs(TimeSpan time) => (uint)Math.Max(0, time.Ticks * _packetizer.ClockRate / TimeSpan.TicksPerSecond);
}
