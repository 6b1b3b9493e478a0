using System.Buffers;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Loss detection and congestion control (RFC 9002) through the recovery module: ACK frames are decoded
// here, the LossDetector decides what was acknowledged or lost, and its callbacks repair or retire frames.
internal sealed partial class QuicConnectionCore
{
    private const int StackAckRanges = 32;

    private readonly LossDetector _loss;
    private long _lastEventTime;

    /// <summary>The congestion controller (for tests).</summary>
    internal ICongestionController CongestionController => _loss.CongestionController;

    /// <summary>The current probe timeout without backoff, for the closing, draining and key-discard periods.</summary>
    private long PtoDuration => _loss.Rtt.PtoBase + _loss.MaxAckDelay;

    private void ProcessAckFrame(PacketNumberSpace space, in Frame frame, long now)
    {
        if (frame.LargestAcknowledged >= space.NextPacketNumber)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "ACK for a packet never sent", frame.RawType);
        if (space.Discarded) return;
        // Copy the ranges (the reader validated them) into a stack or pooled buffer for the loss detector.
        long count = frame.AckRangeCount + 1;
        AckRange[]? rented = null;
        Span<AckRange> ranges = count <= StackAckRanges
            ? stackalloc AckRange[StackAckRanges]
            : (rented = ArrayPool<AckRange>.Shared.Rent((int)Math.Min(count, int.MaxValue)));
        try
        {
            int n = 0;
            foreach (var range in frame.AckRanges)
            {
                if (n == ranges.Length) break;
                ranges[n++] = range;
            }
            long ackDelay = space.Level == EncryptionLevel.Application ? frame.GetAckDelayMicroseconds((int)(_peerParameters?.AckDelayExponent ?? 3)) : 0;
            _loss.OnAckReceived(space.Level, ranges[..n], ackDelay, now);
        }
        finally
        {
            if (rented is not null) ArrayPool<AckRange>.Shared.Return(rented);
        }
    }

    void ILossDetectionHandler.OnPacketAcked(EncryptionLevel level, SentPacket packet)
    {
        var space = SpaceFor(level);
        if (level == EncryptionLevel.Application) OnApplicationPacketAckedForPathMtu(packet);
        if (level == EncryptionLevel.Application)
        {
            if (packet.PacketNumber >= _writePhaseStartPn) _writePhaseAcknowledged = true;
            // An acknowledged 1-RTT packet confirms the handshake for a client (RFC 9001 section 4.1.2).
            if (IsClient && _handshakeComplete && !_handshakeConfirmed) _confirmPending = true;
        }
        foreach (var frame in packet.Frames) OnFrameAcked(space, frame);
    }

    void ILossDetectionHandler.OnPacketLost(EncryptionLevel level, SentPacket packet)
    {
        var space = SpaceFor(level);
        if (level == EncryptionLevel.Application) OnApplicationPacketLostForPathMtu(packet);
        foreach (var frame in packet.Frames) OnFrameLost(space, frame);
    }

    private bool _confirmPending;

    /// <summary>Work the loss detector's callbacks could not do from inside it.</summary>
    private void AfterAckProcessing()
    {
        if (_confirmPending)
        {
            _confirmPending = false;
            ConfirmHandshake();
        }
    }

    private void UpdateLossDetectorState(long now)
    {
        _lastEventTime = now;
        bool limited = !IsClient && !_addressValidated && AmplificationCredit <= 0;
        bool handshakeKeys = _spaces[1].WriteKeys is not null;
        if (limited != _loss.AmplificationLimited || handshakeKeys != _loss.HasHandshakeKeys)
        {
            _loss.AmplificationLimited = limited;
            _loss.HasHandshakeKeys = handshakeKeys;
            _loss.RearmTimer(now);
        }
    }

    private long LossDetectionDeadline() => _loss.LossDetectionTimer;

    private void OnLossDetectionTimeout(long now)
    {
        var probe = _loss.OnLossDetectionTimeout(now);
        if (probe.Count == 0) return;
        var space = SpaceFor(probe.Space);
        if (space.Discarded || space.WriteKeys is null) return;
        space.ProbesPending = probe.Count;
        // Repeat the oldest unacknowledged data so the probes carry something useful (RFC 9002 section 6.2.4).
        var oldest = _loss.GetTracker(probe.Space).Oldest;
        if (oldest is null) return;
        foreach (var frame in oldest.Frames)
        {
            if (frame.FrameType is FrameCrypto or FrameStream) OnFrameLost(space, frame);
        }
    }
}
