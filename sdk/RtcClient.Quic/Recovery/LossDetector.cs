using System.Runtime.InteropServices;
using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Recovery;

/// <summary>
/// Loss detection and probe timeouts over the three packet number spaces of a connection
/// (RFC 9002 sections 6 and 7.6, with the semantics of its Appendix A): processes ACK frames,
/// samples RTT, declares packets lost by packet and time threshold, runs the single loss detection
/// timer (loss time or PTO with exponential backoff), detects persistent congestion, and feeds the
/// congestion controller. Sans-IO: the caller passes "now" (microseconds) and arms a timer at
/// <see cref="LossDetectionTimer"/>.
/// </summary>
public sealed class LossDetector
{
    // Bound on the PTO backoff exponent so the period cannot overflow.
    private const int MaxBackoffExponent = 24;

    private readonly SentPacketTracker[] _spaces = [new(), new(), new()];
    private readonly bool[] _discarded = new bool[3];
    private readonly SentPacketPool _pool = new();
    private readonly List<SentPacket> _acked = new(64);
    private readonly List<SentPacket> _lost = new(64);
    private readonly List<SentPacket> _removed = new(16);
    private readonly ILossDetectionHandler _handler;
    private readonly bool _isServer;
    private bool _handshakeAckReceived;

    /// <summary>Creates a detector.</summary>
    /// <param name="isServer">Servers never need the client's anti-deadlock probes (RFC 9002 section 6.2.2.1).</param>
    /// <param name="congestionController">Receives sent, acknowledged and lost packets.</param>
    /// <param name="handler">Told about each acknowledged and lost packet.</param>
    /// <param name="rttEstimator">Shared RTT state; a fresh one when null.</param>
    public LossDetector(bool isServer, ICongestionController congestionController, ILossDetectionHandler handler, RttEstimator? rttEstimator = null)
    {
        _isServer = isServer;
        CongestionController = congestionController;
        _handler = handler;
        Rtt = rttEstimator ?? new RttEstimator();
    }

    /// <summary>The RTT estimate.</summary>
    public RttEstimator Rtt { get; }

    /// <summary>The congestion controller fed by this detector.</summary>
    public ICongestionController CongestionController { get; }

    /// <summary>The peer's max_ack_delay transport parameter, microseconds (default 25 ms).</summary>
    public long MaxAckDelay { get; set; } = ReceivedPacketTracker.DefaultMaxAckDelay;

    /// <summary>Handshake confirmed (RFC 9001 section 4.1.2): enables Application-space PTO and caps ack delay. Call <see cref="RearmTimer"/> after changing.</summary>
    public bool HandshakeConfirmed { get; set; }

    /// <summary>Handshake keys are available: the anti-deadlock probe goes in the Handshake space, else Initial.</summary>
    public bool HasHandshakeKeys { get; set; }

    /// <summary>A server blocked by the anti-amplification limit arms no timer (RFC 9002 section 6.2.2.1). Call <see cref="RearmTimer"/> after changing.</summary>
    public bool AmplificationLimited { get; set; }

    /// <summary>pto_count: consecutive PTOs without an acknowledgment.</summary>
    public int PtoCount { get; private set; }

    /// <summary>When to call <see cref="OnLossDetectionTimeout"/>, or <see cref="long.MaxValue"/> when disarmed.</summary>
    public long LossDetectionTimer { get; private set; } = long.MaxValue;

    /// <summary>Packets handed to <see cref="OnPacketSent"/>.</summary>
    public long PacketsSent { get; private set; }

    /// <summary>Packets declared lost.</summary>
    public long PacketsLost { get; private set; }

    /// <summary>Number of times persistent congestion was declared.</summary>
    public long PersistentCongestionEvents { get; private set; }

    /// <summary>The per-space tracker (0-RTT shares the Application space).</summary>
    public SentPacketTracker GetTracker(EncryptionLevel space) => _spaces[Index(space)];

    /// <summary>True when any space has ack-eliciting packets in flight.</summary>
    public bool HasAckElicitingInFlight
    {
        get
        {
            foreach (var s in _spaces)
            {
                if (s.AckElicitingInFlight > 0)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>The PTO period without backoff: smoothed_rtt + max(4 * rttvar, kGranularity) + max_ack_delay (RFC 9002 section 6.2.1), used e.g. for the closing period.</summary>
    public long ProbeTimeout => Rtt.PtoBase + MaxAckDelay;

    /// <summary>Gets a cleared packet record to fill and pass to <see cref="OnPacketSent"/>.</summary>
    public SentPacket RentPacket() => _pool.Rent();

    /// <summary>
    /// Records a sent packet (RFC 9002 Appendix A.5). Every packet must be recorded, ACK-only ones
    /// included, in increasing packet number order per space. Ownership passes to the detector.
    /// </summary>
    public void OnPacketSent(EncryptionLevel space, SentPacket packet, long now)
    {
        int index = Index(space);
        if (_discarded[index])
        {
            _pool.Return(packet);
            return;
        }
        packet.TimeSent = now;
        _removed.Clear();
        _spaces[index].Add(packet, _removed);
        ReturnAll(_removed);
        PacketsSent++;
        if (packet.InFlight)
        {
            CongestionController.OnPacketSent(now, packet.SentBytes);
            SetLossDetectionTimer(now);
        }
    }

    /// <summary>
    /// Processes an ACK frame received in <paramref name="space"/> (RFC 9002 Appendix A.7).
    /// </summary>
    /// <param name="space">The packet number space the ACK frame arrived in.</param>
    /// <param name="ranges">Acknowledged ranges, largest first as in the frame.</param>
    /// <param name="ackDelay">The decoded ack delay in microseconds (ack_delay field scaled by the peer's ack_delay_exponent).</param>
    /// <param name="now">Receive time.</param>
    /// <exception cref="Wire.QuicProtocolException">PROTOCOL_VIOLATION when an unsent packet is acknowledged.</exception>
    public void OnAckReceived(EncryptionLevel space, ReadOnlySpan<AckRange> ranges, long ackDelay, long now)
    {
        int index = Index(space);
        if (_discarded[index] || ranges.IsEmpty)
        {
            return;
        }
        var tracker = _spaces[index];
        long largestInFrame = -1;
        foreach (var r in ranges)
        {
            largestInFrame = Math.Max(largestInFrame, r.Largest);
        }

        _acked.Clear();
        tracker.OnAckReceived(ranges, _acked);
        if (_acked.Count == 0)
        {
            return;
        }

        // An RTT sample only when the largest acknowledged is newly acknowledged and something
        // ack-eliciting was newly acknowledged (RFC 9002 section 5.1).
        SentPacket? largestNewlyAcked = null;
        bool anyAckEliciting = false;
        foreach (var p in _acked)
        {
            anyAckEliciting |= p.AckEliciting;
            if (largestNewlyAcked is null || p.PacketNumber > largestNewlyAcked.PacketNumber)
            {
                largestNewlyAcked = p;
            }
        }
        if (largestNewlyAcked!.PacketNumber == largestInFrame && anyAckEliciting)
        {
            // Initial ACKs are never delayed on purpose, so their ack delay is ignored.
            long delay = space == EncryptionLevel.Initial ? 0 : ackDelay;
            Rtt.Update(now - largestNewlyAcked.TimeSent, delay, MaxAckDelay, HandshakeConfirmed, now);
        }
        if (space == EncryptionLevel.Handshake)
        {
            _handshakeAckReceived = true;
        }

        DetectAndRemoveLostPackets(index, now);

        CongestionController.OnPacketsAcked(CollectionsMarshal.AsSpan(_acked), now);
        foreach (var p in _acked)
        {
            _handler.OnPacketAcked(space, p);
        }
        ReturnAll(_acked);

        if (PeerCompletedAddressValidation)
        {
            PtoCount = 0;
        }
        SetLossDetectionTimer(now);
    }

    /// <summary>
    /// The loss detection timer fired (RFC 9002 Appendix A.9). Either declares packets lost by the
    /// time threshold (returns <see cref="ProbeRequest.None"/>) or asks for probe packets and backs
    /// off the PTO. Calls before <see cref="LossDetectionTimer"/> do nothing.
    /// </summary>
    public ProbeRequest OnLossDetectionTimeout(long now)
    {
        if (now < LossDetectionTimer)
        {
            return ProbeRequest.None;
        }
        int lossSpace = EarliestLossTimeSpace(out long lossTime);
        if (lossTime != 0)
        {
            DetectAndRemoveLostPackets(lossSpace, now);
            SetLossDetectionTimer(now);
            return ProbeRequest.None;
        }

        ProbeRequest probe;
        if (!HasAckElicitingInFlight)
        {
            // Anti-deadlock (client only): the server may be blocked by its amplification limit.
            probe = new ProbeRequest(HasHandshakeKeys ? EncryptionLevel.Handshake : EncryptionLevel.Initial, 1);
        }
        else
        {
            PtoTimeAndSpace(now, out int space);
            probe = new ProbeRequest(Level(space), 2);
        }
        PtoCount++;
        SetLossDetectionTimer(now);
        return probe;
    }

    /// <summary>
    /// Drops all state of a packet number space whose keys were discarded (RFC 9002 section 6.4):
    /// its packets leave bytes in flight without a congestion signal and are not reported.
    /// </summary>
    public void DiscardSpace(EncryptionLevel space, long now)
    {
        int index = Index(space);
        if (_discarded[index])
        {
            return;
        }
        var tracker = _spaces[index];
        long bytes = tracker.BytesInFlight;
        _removed.Clear();
        tracker.Clear(_removed);
        ReturnAll(_removed);
        CongestionController.OnPacketsDiscarded(bytes);
        _discarded[index] = true;
        PtoCount = 0;
        SetLossDetectionTimer(now);
    }

    /// <summary>Recomputes <see cref="LossDetectionTimer"/> after a change of <see cref="HandshakeConfirmed"/>, <see cref="AmplificationLimited"/> or <see cref="HasHandshakeKeys"/>.</summary>
    public void RearmTimer(long now) => SetLossDetectionTimer(now);

    private bool PeerCompletedAddressValidation => _isServer || HandshakeConfirmed || _handshakeAckReceived;

    private void DetectAndRemoveLostPackets(int index, long now)
    {
        // kTimeThreshold = 9/8 of max(smoothed_rtt, latest_rtt), at least kGranularity.
        long lossDelay = Math.Max(9 * Math.Max(Rtt.SmoothedRtt, Rtt.LatestRtt) / 8, RttEstimator.Granularity);
        long firstSample = Rtt.HasSample ? Rtt.FirstSampleTime : long.MaxValue;
        _lost.Clear();
        long lostPeriod = _spaces[index].DetectLostPackets(now, lossDelay, firstSample, _lost);
        if (_lost.Count == 0)
        {
            return;
        }
        PacketsLost += _lost.Count;
        CongestionController.OnPacketsLost(CollectionsMarshal.AsSpan(_lost), now);
        // Persistent congestion duration (RFC 9002 section 7.6.1), with kPersistentCongestionThreshold 3.
        long duration = (Rtt.PtoBase + MaxAckDelay) * 3;
        if (lostPeriod > duration)
        {
            PersistentCongestionEvents++;
            CongestionController.OnPersistentCongestion(now);
        }
        var level = Level(index);
        foreach (var p in _lost)
        {
            _handler.OnPacketLost(level, p);
        }
        ReturnAll(_lost);
    }

    private int EarliestLossTimeSpace(out long lossTime)
    {
        lossTime = 0;
        int space = 0;
        for (int i = 0; i < _spaces.Length; i++)
        {
            long t = _spaces[i].LossTime;
            if (t != 0 && (lossTime == 0 || t < lossTime))
            {
                lossTime = t;
                space = i;
            }
        }
        return space;
    }

    private long PtoTimeAndSpace(long now, out int space)
    {
        int exponent = Math.Min(PtoCount, MaxBackoffExponent);
        long duration = Rtt.PtoBase << exponent;
        if (!HasAckElicitingInFlight)
        {
            space = HasHandshakeKeys ? 1 : 0;
            return now + duration;
        }
        long timeout = long.MaxValue;
        space = 0;
        for (int i = 0; i < _spaces.Length; i++)
        {
            var tracker = _spaces[i];
            if (_discarded[i] || tracker.AckElicitingInFlight == 0)
            {
                continue;
            }
            if (i == 2)
            {
                // No Application-space PTO before the handshake is confirmed (RFC 9002 section 6.2.1).
                if (!HandshakeConfirmed)
                {
                    return timeout;
                }
                duration += MaxAckDelay << exponent;
            }
            long t = tracker.TimeOfLastAckElicitingPacket + duration;
            if (t < timeout)
            {
                timeout = t;
                space = i;
            }
        }
        return timeout;
    }

    private void SetLossDetectionTimer(long now)
    {
        EarliestLossTimeSpace(out long lossTime);
        if (lossTime != 0)
        {
            LossDetectionTimer = lossTime;
            return;
        }
        if (_isServer && AmplificationLimited)
        {
            LossDetectionTimer = long.MaxValue;
            return;
        }
        if (!HasAckElicitingInFlight && PeerCompletedAddressValidation)
        {
            LossDetectionTimer = long.MaxValue;
            return;
        }
        LossDetectionTimer = PtoTimeAndSpace(now, out _);
    }

    private void ReturnAll(List<SentPacket> packets)
    {
        foreach (var p in packets)
        {
            _pool.Return(p);
        }
        packets.Clear();
    }

    private static int Index(EncryptionLevel level) => level switch
    {
        EncryptionLevel.Initial => 0,
        EncryptionLevel.Handshake => 1,
        _ => 2,
    };

    private static EncryptionLevel Level(int index) => index switch
    {
        0 => EncryptionLevel.Initial,
        1 => EncryptionLevel.Handshake,
        _ => EncryptionLevel.Application,
    };
}
