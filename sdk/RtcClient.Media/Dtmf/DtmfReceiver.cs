using RtcClient.Media.Rtp;

namespace RtcClient.Media.Dtmf;

/// <summary>
/// Turns received RFC 4733 telephone-event packets into digits: each event (identified by its start
/// timestamp) is reported once, with the duration from its end packet. Survives loss: an event whose
/// first packets were lost is still found from its updates; an event whose end packets were all lost
/// is reported with the last duration seen when the next event starts or after a timeout. Repeated
/// end packets and stale packets of older events are ignored.
/// </summary>
public sealed class DtmfReceiver
{
    private readonly int _clockRate;
    private readonly TimeSpan _timeout;
    private bool _haveEvent;
    private bool _ended;
    private uint _eventTs;    // of the current segment
    private uint _firstTs;    // of the event's first segment
    private uint _earlier;    // duration of the event's earlier segments
    private byte _event;
    private ushort _duration;
    private TimeSpan _lastUpdate;

    /// <summary>Creates a receiver for a stream with the given RTP clock rate.</summary>
    public DtmfReceiver(int clockRate, TimeSpan? endTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        _clockRate = clockRate;
        _timeout = endTimeout ?? TimeSpan.FromMilliseconds(300);
    }

    /// <summary>Raised once per event with the digit and its duration.</summary>
    public event Action<DtmfDigit>? DigitReceived;

    /// <summary>Packets that were too short or not DTMF events.</summary>
    public long Malformed { get; private set; }

    /// <summary>Packets ignored as repeats of an ended event or stale.</summary>
    public long Ignored { get; private set; }

    /// <summary>Digits reported.</summary>
    public long Digits { get; private set; }

    /// <summary>Handles one telephone-event packet.</summary>
    public void Process(in RtpPacket packet, TimeSpan arrival) => Process(packet.Timestamp, packet.Payload, arrival);

    /// <summary>Handles one telephone-event payload with its RTP timestamp.</summary>
    public void Process(uint timestamp, ReadOnlySpan<byte> payload, TimeSpan arrival)
    {
        if (!TelephoneEvent.TryRead(payload, out var ev) || TelephoneEvent.ToDigit(ev.Event) == '\0')
        {
            Malformed++;
            return;
        }
        if (_haveEvent && timestamp == _eventTs)
        {
            if (_ended)
            {
                Ignored++;
                return;
            }
            _duration = Math.Max(_duration, ev.Duration);
            _lastUpdate = arrival;
            if (ev.End)
                Report(endReceived: true, ev.Duration);
            return;
        }
        if (_haveEvent && (int)(timestamp - _eventTs) < 0)
        {
            Ignored++; // belongs to an older event
            return;
        }
        if (_haveEvent && !_ended && ev.Event == _event && timestamp - _eventTs == ushort.MaxValue)
        {
            // The next segment of a long event (RFC 4733 section 2.5.2.3): the digit goes on.
            _earlier += ushort.MaxValue;
            _eventTs = timestamp;
            _duration = ev.Duration;
            _lastUpdate = arrival;
            if (ev.End)
                Report(endReceived: true, ev.Duration);
            return;
        }
        if (_haveEvent && !_ended)
            Report(endReceived: false, _duration);
        _haveEvent = true;
        _ended = false;
        _eventTs = timestamp;
        _firstTs = timestamp;
        _earlier = 0;
        _event = ev.Event;
        _duration = ev.Duration;
        _lastUpdate = arrival;
        if (ev.End)
            Report(endReceived: true, ev.Duration);
    }

    /// <summary>Reports an event whose end never arrived once no packet came for the timeout.</summary>
    public void OnTick(TimeSpan now)
    {
        if (_haveEvent && !_ended && now - _lastUpdate > _timeout)
            Report(endReceived: false, _duration);
    }

    private void Report(bool endReceived, ushort duration)
    {
        _ended = true;
        Digits++;
        long total = _earlier + (long)duration;
        var digit = new DtmfDigit(TelephoneEvent.ToDigit(_event), TimeSpan.FromTicks(total * TimeSpan.TicksPerSecond / _clockRate), _firstTs, endReceived);
        DigitReceived?.Invoke(digit);
    }
}
