using RtcClient.Quic.Crypto;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Loss detection and congestion control (RFC 9002): ACK processing, RTT estimation, packet- and
// time-threshold loss, PTO, NewReno.
internal sealed partial class QuicConnectionCore
{
    private const int PacketThreshold = 3;
    private const long Granularity = 1000; // 1 ms
    private const long InitialRtt = 333_000;

    private readonly Stack<SentPacket> _packetPool = new();
    private readonly List<SentPacket> _ackedScratch = [];
    private readonly List<SentPacket> _lostScratch = [];
    private long _latestRtt;
    private long _smoothedRtt = InitialRtt;
    private long _rttVar = InitialRtt / 2;
    private long _minRtt = long.MaxValue;
    private bool _hasRttSample;
    private long _peerMaxAckDelay = 25_000;
    private int _ptoCount;
    private long _bytesInFlight;

    // NewReno (RFC 9002 section 7 and appendix B).
    private long _congestionWindow;
    private long _ssthresh = long.MaxValue;
    private long _recoveryStartTime = long.MinValue;
    private long _bytesAckedInAvoidance;

    private int MaxDatagramSizeForCongestion => _settings.MaxDatagramSize;

    private void InitCongestion()
    {
        _congestionWindow = Math.Min(10L * MaxDatagramSizeForCongestion, Math.Max(14720, 2L * MaxDatagramSizeForCongestion));
    }

    private SentPacket RentPacket() => _packetPool.Count > 0 ? _packetPool.Pop() : new SentPacket();

    private void ReturnPacket(SentPacket packet)
    {
        packet.Reset();
        if (_packetPool.Count < 4096) _packetPool.Push(packet);
    }

    private void ProcessAckFrame(PacketNumberSpace space, ref PayloadReader reader, bool withEcn, long now)
    {
        long largest = reader.Varint();
        long ackDelayRaw = reader.Varint();
        long rangeCount = reader.Varint();
        long firstRange = reader.Varint();
        if (firstRange > largest) throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "ACK range below zero", 0x02);
        if (largest >= space.NextPacketNumber)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "ACK for a packet never sent", 0x02);

        // Walk the ranges (descending) against sent packets; collect the newly acknowledged.
        _ackedScratch.Clear();
        long rangeHigh = largest;
        long rangeLow = largest - firstRange;
        CollectAcked(space, rangeLow, rangeHigh);
        for (long i = 0; i < rangeCount; i++)
        {
            long gap = reader.Varint();
            long length = reader.Varint();
            rangeHigh = rangeLow - gap - 2;
            rangeLow = rangeHigh - length;
            if (rangeLow < 0) throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "ACK range below zero", 0x02);
            CollectAcked(space, rangeLow, rangeHigh);
        }
        if (withEcn)
        {
            reader.Varint();
            reader.Varint();
            reader.Varint();
        }
        if (space.Discarded) return;

        if (largest > space.LargestAcked) space.LargestAcked = largest;
        if (_ackedScratch.Count == 0) return;

        // RFC 9002 section 5.1: an RTT sample when the largest acknowledged is newly acknowledged and ack-eliciting.
        SentPacket? largestPacket = null;
        bool anyAckEliciting = false;
        foreach (var p in _ackedScratch)
        {
            if (p.PacketNumber == largest) largestPacket = p;
            anyAckEliciting |= p.AckEliciting;
        }
        if (largestPacket is not null && anyAckEliciting)
        {
            long ackDelay = space.Level == EncryptionLevel.Application
                ? ackDelayRaw * 1L << (int)(_peerParameters?.AckDelayExponent ?? 3)
                : 0;
            UpdateRtt(now - largestPacket.TimeSent, ackDelay);
        }

        foreach (var p in _ackedScratch)
        {
            RemoveSent(space, p);
            if (p.InFlight)
            {
                _bytesInFlight -= p.Size;
                OnPacketAckedCongestion(p);
            }
            if (space.Level == EncryptionLevel.Application && p.PacketNumber >= _writePhaseStartPn) _writePhaseAcknowledged = true;
            foreach (var frame in p.Frames) OnFrameAcked(space, frame);
            // An acknowledged 1-RTT packet confirms the handshake for a client (RFC 9001 section 4.1.2).
            if (space.Level == EncryptionLevel.Application && IsClient && _handshakeComplete) ConfirmHandshake();
        }
        CompactSent(space);
        foreach (var p in _ackedScratch) ReturnPacket(p);
        _ackedScratch.Clear();

        DetectLostPackets(space, now);
        _ptoCount = 0;
    }

    private void CollectAcked(PacketNumberSpace space, long low, long high)
    {
        // Sent is ordered by packet number; binary search the first >= low.
        var sent = space.Sent;
        int lo = 0, hi = sent.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sent[mid].PacketNumber < low) lo = mid + 1;
            else hi = mid;
        }
        for (int i = lo; i < sent.Count && sent[i].PacketNumber <= high; i++) _ackedScratch.Add(sent[i]);
    }

    private static void RemoveSent(PacketNumberSpace space, SentPacket packet)
    {
        packet.Removed = true;
        if (packet.AckEliciting && packet.InFlight) space.AckElicitingInFlight--;
    }

    // Drops the packets RemoveSent marked, in one pass.
    private static void CompactSent(PacketNumberSpace space) => space.Sent.RemoveAll(static p => p.Removed);

    private void UpdateRtt(long latestRtt, long ackDelay)
    {
        _latestRtt = Math.Max(latestRtt, 1);
        if (!_hasRttSample)
        {
            _hasRttSample = true;
            _minRtt = _latestRtt;
            _smoothedRtt = _latestRtt;
            _rttVar = _latestRtt / 2;
            return;
        }
        _minRtt = Math.Min(_minRtt, _latestRtt);
        if (_handshakeConfirmed) ackDelay = Math.Min(ackDelay, _peerMaxAckDelay);
        long adjusted = _latestRtt >= _minRtt + ackDelay ? _latestRtt - ackDelay : _latestRtt;
        _rttVar = (3 * _rttVar + Math.Abs(_smoothedRtt - adjusted)) / 4;
        _smoothedRtt = (7 * _smoothedRtt + adjusted) / 8;
    }

    private void DetectLostPackets(PacketNumberSpace space, long now)
    {
        space.LossTime = long.MaxValue;
        if (space.LargestAcked < 0) return;
        long lossDelay = Math.Max(9 * Math.Max(_latestRtt, _smoothedRtt) / 8, Granularity);
        long lostSendTime = now - lossDelay;
        _lostScratch.Clear();
        foreach (var p in space.Sent)
        {
            if (p.PacketNumber > space.LargestAcked) break;
            if (p.TimeSent <= lostSendTime || space.LargestAcked >= p.PacketNumber + PacketThreshold) _lostScratch.Add(p);
            else space.LossTime = Math.Min(space.LossTime, p.TimeSent + lossDelay);
        }
        if (_lostScratch.Count == 0) return;
        long largestLostTime = 0;
        foreach (var p in _lostScratch)
        {
            RemoveSent(space, p);
            if (p.InFlight)
            {
                _bytesInFlight -= p.Size;
                largestLostTime = Math.Max(largestLostTime, p.TimeSent);
            }
            _stats.PacketsLost++;
            foreach (var frame in p.Frames) OnFrameLost(space, frame);
        }
        CompactSent(space);
        if (largestLostTime > 0) OnCongestionEvent(largestLostTime, now);
        foreach (var p in _lostScratch) ReturnPacket(p);
        _lostScratch.Clear();
    }

    private void OnPacketAckedCongestion(SentPacket packet)
    {
        if (packet.TimeSent <= _recoveryStartTime) return;
        if (_congestionWindow < _ssthresh)
        {
            _congestionWindow += packet.Size;
            return;
        }
        _bytesAckedInAvoidance += packet.Size;
        if (_bytesAckedInAvoidance >= _congestionWindow)
        {
            _bytesAckedInAvoidance -= _congestionWindow;
            _congestionWindow += MaxDatagramSizeForCongestion;
        }
    }

    private void OnCongestionEvent(long sentTime, long now)
    {
        if (sentTime <= _recoveryStartTime) return;
        _recoveryStartTime = now;
        _ssthresh = Math.Max(_congestionWindow / 2, 2L * MaxDatagramSizeForCongestion);
        _congestionWindow = _ssthresh;
        _bytesAckedInAvoidance = 0;
    }

    private long PtoDuration(bool includeAckDelay)
        => (_smoothedRtt + Math.Max(4 * _rttVar, Granularity) + (includeAckDelay ? _peerMaxAckDelay : 0)) << Math.Min(_ptoCount, 16);

    /// <summary>RFC 9002 appendix A.8: the PTO deadline and the space it is for.</summary>
    private long PtoTime(out PacketNumberSpace? ptoSpace)
    {
        ptoSpace = null;
        bool anyInFlight = false;
        foreach (var s in _spaces) anyInFlight |= s.AckElicitingInFlight > 0;
        if (!anyInFlight)
        {
            // Client anti-deadlock (RFC 9002 section 6.2.2.1): probe until the handshake is confirmed.
            if (!IsClient || _handshakeConfirmed) return long.MaxValue;
            ptoSpace = _spaces[1].WriteKeys is not null ? _spaces[1] : _spaces[0];
            if (ptoSpace.Discarded) return long.MaxValue;
            return _lastSendTime + PtoDuration(false);
        }
        long best = long.MaxValue;
        foreach (var s in _spaces)
        {
            if (s.AckElicitingInFlight == 0 || s.Discarded) continue;
            if (s.Level == EncryptionLevel.Application && !_handshakeConfirmed && (_spaces[0].AckElicitingInFlight > 0 || _spaces[1].AckElicitingInFlight > 0)) continue;
            long t = s.TimeOfLastAckEliciting + PtoDuration(s.Level == EncryptionLevel.Application);
            if (t < best)
            {
                best = t;
                ptoSpace = s;
            }
        }
        return best;
    }

    private long LossDetectionDeadline()
    {
        long earliestLoss = long.MaxValue;
        foreach (var s in _spaces) earliestLoss = Math.Min(earliestLoss, s.LossTime);
        if (earliestLoss != long.MaxValue) return earliestLoss;
        if (!IsClient && !_addressValidated && AmplificationCredit <= 0) return long.MaxValue;
        return PtoTime(out _);
    }

    private void OnLossDetectionTimeout(long now)
    {
        foreach (var s in _spaces)
        {
            if (s.LossTime <= now)
            {
                DetectLostPackets(s, now);
                return;
            }
        }
        long pto = PtoTime(out var space);
        if (space is null || pto > now) return;
        _ptoCount++;
        space.ProbesPending = 2;
        // Repeat the oldest unacknowledged data so the probes carry something useful (RFC 9002 section 6.2.4).
        foreach (var p in space.Sent)
        {
            if (!p.AckEliciting) continue;
            foreach (var frame in p.Frames)
            {
                if (frame.Kind is SentFrameKind.Crypto or SentFrameKind.Stream) OnFrameLost(space, frame);
            }
            break;
        }
    }
}
