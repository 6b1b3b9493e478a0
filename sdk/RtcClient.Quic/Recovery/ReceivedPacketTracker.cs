namespace RtcClient.Quic.Recovery;

/// <summary>
/// The receive side of one packet number space: duplicate detection, the ACK ranges to report, and
/// when an ACK frame has to go out (RFC 9000 sections 12.3 and 13.2). Times are microseconds.
/// </summary>
/// <remarks>
/// Two range sets are kept. <c>_received</c> remembers every packet number seen (for duplicate
/// detection) up to a cap; when the cap drops its lowest range, everything below becomes "seen",
/// so late packets under that floor are discarded rather than processed twice. <c>_toAcknowledge</c>
/// is what ACK frames report; it loses ranges when the peer acknowledges one of our ACK frames.
/// </remarks>
public sealed class ReceivedPacketTracker
{
    /// <summary>Default cap on ACK ranges reported and remembered.</summary>
    public const int DefaultMaxAckRanges = 32;

    /// <summary>Default max_ack_delay (RFC 9000 section 18.2): 25 ms.</summary>
    public const long DefaultMaxAckDelay = 25_000;

    private readonly RangeSet _received;
    private readonly RangeSet _toAcknowledge;
    private long _floor;
    private long _largestAckEliciting = -1;
    private int _ackElicitingSinceAck;
    private bool _immediateAck;
    private bool _newSinceAck;

    /// <summary>Creates a tracker.</summary>
    /// <param name="delayAcks">False for the Initial and Handshake spaces, whose ack-eliciting packets are acknowledged immediately.</param>
    /// <param name="maxAckRanges">Cap on ranges remembered; the oldest (lowest) ranges are dropped first.</param>
    public ReceivedPacketTracker(bool delayAcks, int maxAckRanges = DefaultMaxAckRanges)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAckRanges);
        DelayAcks = delayAcks;
        _received = new RangeSet(maxAckRanges);
        _toAcknowledge = new RangeSet(maxAckRanges);
    }

    /// <summary>Whether ACKs may be delayed (Application space) or must be immediate (Initial, Handshake).</summary>
    public bool DelayAcks { get; }

    /// <summary>Our max_ack_delay: how long an ACK for an ack-eliciting packet may be held back.</summary>
    public long MaxAckDelay { get; set; } = DefaultMaxAckDelay;

    /// <summary>Ack-eliciting packets received before an ACK is sent without delay (RFC 9000 section 13.2.2 recommends 2).</summary>
    public int AckElicitingThreshold { get; set; } = 2;

    /// <summary>Largest packet number received, or -1.</summary>
    public long LargestReceived { get; private set; } = -1;

    /// <summary>Time the largest packet number was received.</summary>
    public long LargestReceivedTime { get; private set; }

    /// <summary>Number of ACK ranges currently to report.</summary>
    public int AckRangeCount => _toAcknowledge.Count;

    /// <summary>True when an ACK frame would report something new since the last one sent (a candidate to piggyback).</summary>
    public bool HasNewAckInformation => _newSinceAck && !_toAcknowledge.IsEmpty;

    /// <summary>When the delayed-ACK timer expires, or <see cref="long.MaxValue"/> when no ACK is owed.</summary>
    public long AckDeadline { get; private set; } = long.MaxValue;

    /// <summary>True when an ACK is owed right now, without waiting for the timer.</summary>
    public bool AckImmediately => _immediateAck;

    /// <summary>True when an ACK frame must be sent at <paramref name="now"/> (immediately owed or timer expired).</summary>
    public bool ShouldSendAck(long now) => _immediateAck || now >= AckDeadline;

    /// <summary>
    /// True when <paramref name="packetNumber"/> was already received (or is below the forgotten floor
    /// and so cannot be told apart from one that was). Such packets are discarded (RFC 9000 section 12.3).
    /// </summary>
    public bool IsDuplicate(long packetNumber) => packetNumber < _floor || _received.Contains(packetNumber);

    /// <summary>
    /// Records a successfully decrypted packet. Returns false (and records nothing) for a duplicate,
    /// which the caller must then discard.
    /// </summary>
    public bool OnPacketReceived(long packetNumber, bool ackEliciting, long now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(packetNumber);
        if (IsDuplicate(packetNumber))
        {
            return false;
        }

        // Gap/reorder checks must look at the state before this packet is added.
        bool outOfOrder = false;
        if (ackEliciting && _largestAckEliciting >= 0)
        {
            outOfOrder = packetNumber < _largestAckEliciting
                || !_received.ContainsAll(_largestAckEliciting + 1, packetNumber);
        }

        _received.Add(packetNumber, packetNumber + 1);
        _floor = Math.Max(_floor, _received.ForgottenBelow);
        _toAcknowledge.Add(packetNumber, packetNumber + 1);
        _newSinceAck = true;

        if (packetNumber > LargestReceived)
        {
            LargestReceived = packetNumber;
            LargestReceivedTime = now;
        }

        if (!ackEliciting)
        {
            return true;
        }

        _largestAckEliciting = Math.Max(_largestAckEliciting, packetNumber);
        _ackElicitingSinceAck++;
        if (!DelayAcks || outOfOrder || _ackElicitingSinceAck >= AckElicitingThreshold)
        {
            _immediateAck = true;
        }
        else if (AckDeadline == long.MaxValue)
        {
            AckDeadline = now + MaxAckDelay;
        }
        return true;
    }

    /// <summary>The ack delay to report at <paramref name="now"/>: time since the largest packet arrived, microseconds.</summary>
    public long GetAckDelay(long now) => Math.Max(0, now - LargestReceivedTime);

    /// <summary>
    /// Writes the ACK ranges, largest first (the ACK frame's order). When <paramref name="destination"/>
    /// is shorter than <see cref="AckRangeCount"/> the oldest ranges are left out. Returns the count written.
    /// </summary>
    public int GetAckRanges(Span<AckRange> destination)
    {
        int n = Math.Min(destination.Length, _toAcknowledge.Count);
        int last = _toAcknowledge.Count - 1;
        for (int i = 0; i < n; i++)
        {
            destination[i] = new AckRange(_toAcknowledge.StartAt(last - i), _toAcknowledge.EndAt(last - i) - 1);
        }
        return n;
    }

    /// <summary>Call when an ACK frame for this space has been put into a packet: clears the pending ACK state.</summary>
    public void OnAckSent()
    {
        _immediateAck = false;
        _ackElicitingSinceAck = 0;
        _newSinceAck = false;
        AckDeadline = long.MaxValue;
    }

    /// <summary>
    /// The peer acknowledged a packet of ours that carried an ACK frame whose Largest Acknowledged was
    /// <paramref name="largestAcknowledged"/>: packets up to it no longer need reporting (RFC 9000 section 13.2.4).
    /// </summary>
    public void OnAckOfAckReceived(long largestAcknowledged)
    {
        _toAcknowledge.RemoveBelow(largestAcknowledged + 1);
    }

    /// <summary>Forgets everything (the space's keys were discarded).</summary>
    public void Discard()
    {
        _received.Clear();
        _toAcknowledge.Clear();
        OnAckSent();
    }
}
