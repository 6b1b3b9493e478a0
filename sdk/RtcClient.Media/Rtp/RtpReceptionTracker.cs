namespace RtcClient.Media.Rtp;

/// <summary>
/// Receiver-side bookkeeping of one RTP source per RFC 3550 appendix A.1, A.3 and A.8: extended
/// highest sequence number, expected and lost packet counts, fraction lost per report interval and
/// the interarrival jitter estimate.
/// </summary>
public sealed class RtpReceptionTracker
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;

    private bool _initialized;
    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private uint _badSeq = uint.MaxValue;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private int _lastTransit;
    private bool _haveTransit;
    private double _jitter;

    /// <summary>Packets accepted (duplicates included, as RFC 3550 counts them).</summary>
    public long PacketsReceived => _received;

    /// <summary>Extended highest sequence number received (cycles in the high 16 bits).</summary>
    public uint ExtendedHighestSequence => _cycles + _maxSeq;

    /// <summary>Packets expected from the first to the highest sequence number.</summary>
    public long PacketsExpected => _initialized ? (long)ExtendedHighestSequence - _baseSeq + 1 : 0;

    /// <summary>Cumulative packets lost (expected minus received; negative with duplicates).</summary>
    public long PacketsLost => PacketsExpected - _received;

    /// <summary>Interarrival jitter in timestamp units (RFC 3550 section 6.4.1).</summary>
    public uint Jitter => (uint)_jitter;

    /// <summary>Packets dropped as an unconfirmed sequence jump.</summary>
    public long SequenceJumps { get; private set; }

    /// <summary>Restarts after a confirmed sequence jump (source restarted).</summary>
    public long Restarts { get; private set; }

    /// <summary>
    /// Records one packet. <paramref name="arrivalRtp"/> is the arrival time in the same clock as the
    /// timestamps. Returns false when the packet is a large sequence jump not (yet) confirmed by the next one.
    /// </summary>
    public bool Update(ushort sequenceNumber, uint timestamp, uint arrivalRtp)
    {
        if (!_initialized)
        {
            Init(sequenceNumber);
        }
        else
        {
            ushort delta = (ushort)(sequenceNumber - _maxSeq);
            if (delta < MaxDropout)
            {
                if (sequenceNumber < _maxSeq)
                    _cycles += 65536;
                _maxSeq = sequenceNumber;
            }
            else if (delta <= 65536 - MaxMisorder)
            {
                if (sequenceNumber == _badSeq)
                {
                    // Two sequential packets agree: the source restarted its numbering.
                    Init(sequenceNumber);
                    Restarts++;
                }
                else
                {
                    _badSeq = (uint)((sequenceNumber + 1) & 0xFFFF);
                    SequenceJumps++;
                    return false;
                }
            }
            // else: duplicate or reordered packet within the misorder window.
        }
        _received++;
        int transit = (int)(arrivalRtp - timestamp);
        if (_haveTransit)
        {
            int d = Math.Abs(transit - _lastTransit);
            _jitter += (d - _jitter) / 16.0;
        }
        _lastTransit = transit;
        _haveTransit = true;
        return true;
    }

    /// <summary>Fraction lost since the previous call, as the 8-bit fixed point of RFC 3550 (loss/256).</summary>
    public byte TakeFractionLost()
    {
        long expected = PacketsExpected;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0)
            return 0;
        return (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
    }

    /// <summary>Forgets everything (e.g. the source changed SSRC).</summary>
    public void Reset()
    {
        _initialized = false;
        _received = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
        _haveTransit = false;
        _jitter = 0;
        _badSeq = uint.MaxValue;
    }

    private void Init(ushort seq)
    {
        _initialized = true;
        _baseSeq = seq;
        _maxSeq = seq;
        _cycles = 0;
        _badSeq = uint.MaxValue;
        _received = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
    }
}
