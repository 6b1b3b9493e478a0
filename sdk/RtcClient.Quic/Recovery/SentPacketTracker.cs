using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Recovery;

/// <summary>
/// The sent packets of one packet number space awaiting acknowledgment, in packet number order,
/// with the per-space loss detection state of RFC 9002 Appendix A.1-A.2 (largest_acked_packet,
/// time_of_last_ack_eliciting_packet, loss_time). Finding a packet is a binary search; acknowledged
/// packets leave holes that are compacted away, so no per-packet allocation happens. Driven by
/// <see cref="LossDetector"/>; the connection reads its state through <see cref="LossDetector.GetTracker"/>.
/// </summary>
public sealed class SentPacketTracker
{
    /// <summary>kPacketThreshold (RFC 9002 section 6.1.1).</summary>
    public const int PacketThreshold = 3;

    // Non-ack-eliciting packets the peer never acknowledges would pile up; beyond this many the oldest are forgotten.
    private const int MaxUnackedNonElicitingPackets = 256;

    private SentPacket?[] _slots = new SentPacket?[64];
    private long[] _numbers = new long[64];
    private int _head;
    private int _tail;
    private int _nonEliciting;

    /// <summary>Packets tracked.</summary>
    public int Count { get; private set; }

    /// <summary>Largest packet number sent in this space, or -1.</summary>
    public long LargestSent { get; private set; } = -1;

    /// <summary>largest_acked_packet, or -1 before any acknowledgment.</summary>
    public long LargestAcked { get; private set; } = -1;

    /// <summary>time_of_last_ack_eliciting_packet (0 when none is in flight).</summary>
    public long TimeOfLastAckElicitingPacket { get; private set; }

    /// <summary>loss_time: when the earliest outstanding packet becomes lost by the time threshold, or 0.</summary>
    public long LossTime { get; private set; }

    /// <summary>Ack-eliciting packets still in flight.</summary>
    public int AckElicitingInFlight { get; private set; }

    /// <summary>Bytes in flight attributable to this space.</summary>
    public long BytesInFlight { get; private set; }

    /// <summary>Starts tracking <paramref name="packet"/>; its packet number must exceed every earlier one.</summary>
    internal void Add(SentPacket packet, List<SentPacket> forgotten)
    {
        if (packet.PacketNumber <= LargestSent)
        {
            throw new InvalidOperationException($"Packet number {packet.PacketNumber} is not above {LargestSent}.");
        }
        if (_tail == _slots.Length)
        {
            MakeRoom();
        }
        _slots[_tail] = packet;
        _numbers[_tail] = packet.PacketNumber;
        _tail++;
        Count++;
        LargestSent = packet.PacketNumber;
        if (packet.InFlight)
        {
            BytesInFlight += packet.SentBytes;
        }
        if (packet.AckEliciting)
        {
            AckElicitingInFlight++;
            TimeOfLastAckElicitingPacket = packet.TimeSent;
        }
        else if (!packet.InFlight && ++_nonEliciting > MaxUnackedNonElicitingPackets)
        {
            ForgetOldestNonEliciting(forgotten);
        }
    }

    /// <summary>
    /// Applies an ACK frame's ranges (any order), moving newly acknowledged packets to
    /// <paramref name="newlyAcked"/> in ascending packet number order when ranges are given largest first.
    /// Throws PROTOCOL_VIOLATION when a range acknowledges a packet number never sent.
    /// </summary>
    internal void OnAckReceived(ReadOnlySpan<AckRange> ranges, List<SentPacket> newlyAcked)
    {
        long largest = -1;
        foreach (var range in ranges)
        {
            if (range.Smallest < 0 || range.Largest < range.Smallest)
            {
                throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "Malformed ACK range.", 0x02);
            }
            largest = Math.Max(largest, range.Largest);
        }
        if (largest < 0)
        {
            return;
        }
        if (largest > LargestSent)
        {
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, $"ACK of unsent packet {largest}.", 0x02);
        }
        LargestAcked = Math.Max(LargestAcked, largest);

        // Walk ranges from the smallest so acknowledged packets come out in ascending order.
        for (int r = ranges.Length - 1; r >= 0; r--)
        {
            var range = ranges[r];
            for (int i = LowerBound(range.Smallest); i < _tail && _numbers[i] <= range.Largest; i++)
            {
                var packet = _slots[i];
                if (packet is not null)
                {
                    RemoveAt(i);
                    newlyAcked.Add(packet);
                }
            }
        }
        AdvanceHead();
    }

    /// <summary>
    /// Declares lost every outstanding packet at or below largest_acked that is kPacketThreshold behind
    /// it or was sent at least <paramref name="lossDelay"/> ago (RFC 9002 section 6.1), moving them to
    /// <paramref name="lost"/> and updating <see cref="LossTime"/>. Returns the longest period between
    /// two lost ack-eliciting packets sent after <paramref name="firstRttSampleTime"/> (pass
    /// <see cref="long.MaxValue"/> before any RTT sample) with no
    /// acknowledged packet between them, for persistent congestion (RFC 9002 section 7.6.2), or -1.
    /// </summary>
    internal long DetectLostPackets(long now, long lossDelay, long firstRttSampleTime, List<SentPacket> lost)
    {
        LossTime = 0;
        long longestLostPeriod = -1;
        if (LargestAcked < 0)
        {
            return longestLostPeriod;
        }
        long lostSendTime = now - lossDelay;
        long runStart = -1;
        long previous = -1;
        for (int i = _head; i < _tail && _numbers[i] <= LargestAcked; i++)
        {
            var packet = _slots[i];
            if (packet is null)
            {
                continue;
            }
            // A packet number missing between two outstanding ones was acknowledged (or already
            // declared lost): either way the persistent congestion run restarts.
            if (previous >= 0 && packet.PacketNumber != previous + 1)
            {
                runStart = -1;
            }
            previous = packet.PacketNumber;
            if (packet.TimeSent <= lostSendTime || LargestAcked >= packet.PacketNumber + PacketThreshold)
            {
                RemoveAt(i);
                lost.Add(packet);
                if (packet.AckEliciting && !packet.IsPathMtuProbe && packet.TimeSent > firstRttSampleTime)
                {
                    if (runStart < 0)
                    {
                        runStart = packet.TimeSent;
                    }
                    longestLostPeriod = Math.Max(longestLostPeriod, packet.TimeSent - runStart);
                }
            }
            else
            {
                long when = packet.TimeSent + lossDelay;
                LossTime = LossTime == 0 ? when : Math.Min(LossTime, when);
            }
        }
        AdvanceHead();
        return longestLostPeriod;
    }

    /// <summary>Removes every packet (the space's keys were discarded), moving them to <paramref name="removed"/>.</summary>
    internal void Clear(List<SentPacket> removed)
    {
        for (int i = _head; i < _tail; i++)
        {
            if (_slots[i] is { } packet)
            {
                removed.Add(packet);
                _slots[i] = null;
            }
        }
        _head = _tail = 0;
        Count = 0;
        _nonEliciting = 0;
        AckElicitingInFlight = 0;
        BytesInFlight = 0;
        TimeOfLastAckElicitingPacket = 0;
        LossTime = 0;
    }

    /// <summary>The outstanding packet with the lowest packet number, or null.</summary>
    public SentPacket? Oldest => _head < _tail ? _slots[_head] : null;

    private void RemoveAt(int i)
    {
        var packet = _slots[i]!;
        _slots[i] = null;
        Count--;
        if (packet.InFlight)
        {
            BytesInFlight -= packet.SentBytes;
        }
        if (packet.AckEliciting)
        {
            if (--AckElicitingInFlight == 0)
            {
                TimeOfLastAckElicitingPacket = 0;
            }
        }
        else if (!packet.InFlight)
        {
            _nonEliciting--;
        }
    }

    private void ForgetOldestNonEliciting(List<SentPacket> forgotten)
    {
        for (int i = _head; i < _tail; i++)
        {
            if (_slots[i] is { AckEliciting: false, InFlight: false } packet)
            {
                RemoveAt(i);
                forgotten.Add(packet);
                break;
            }
        }
        AdvanceHead();
    }

    private void AdvanceHead()
    {
        while (_head < _tail && _slots[_head] is null)
        {
            _head++;
        }
        if (_head == _tail)
        {
            _head = _tail = 0;
        }
    }

    // First index in [_head, _tail) whose packet number is >= value.
    private int LowerBound(long value)
    {
        int lo = _head, hi = _tail;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_numbers[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private void MakeRoom()
    {
        // Compact live records to the front; grow only when at least half the array is live.
        if (Count > _slots.Length / 2)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
            Array.Resize(ref _numbers, _numbers.Length * 2);
        }
        int w = 0;
        for (int i = _head; i < _tail; i++)
        {
            if (_slots[i] is { } packet)
            {
                _slots[w] = packet;
                _numbers[w] = _numbers[i];
                w++;
            }
        }
        Array.Clear(_slots, w, _tail - w);
        _head = 0;
        _tail = w;
    }
}
