using System.Buffers;
using RtcClient.Quic.Crypto;
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

    /// <summary>The current probe timeout without backoff, for the closing, draining and key-discard periods.</summary>
    private long PtoDuration => _loss.Rtt.PtoBase + _loss.MaxAckDelay;

    private void ProcessAckFrame(PacketNumberSpace space, ref PayloadReader reader, bool withEcn, long now)
    {
        long largest = reader.Varint();
        long ackDelayRaw = reader.Varint();
        long rangeCount = reader.Varint();
        long firstRange = reader.Varint();
        if (firstRange > largest) throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "ACK range below zero", 0x02);
        if (largest >= space.NextPacketNumber)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "ACK for a packet never sent", 0x02);
        if (rangeCount > 1 << 16) throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "too many ACK ranges", 0x02);

        // Decode every range (validating all of them) into a stack or pooled buffer.
        AckRange[]? rented = null;
        Span<AckRange> ranges = rangeCount < StackAckRanges
            ? stackalloc AckRange[StackAckRanges]
            : (rented = ArrayPool<AckRange>.Shared.Rent((int)rangeCount + 1));
        try
        {
            long low = largest - firstRange;
            ranges[0] = new AckRange(low, largest);
            for (int i = 1; i <= rangeCount; i++)
            {
                long gap = reader.Varint();
                long length = reader.Varint();
                long high = low - gap - 2;
                low = high - length;
                if (high < 0 || low < 0) throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "ACK range below zero", 0x02);
                ranges[i] = new AckRange(low, high);
            }
            if (withEcn)
            {
                reader.Varint();
                reader.Varint();
                reader.Varint();
            }
            if (space.Discarded) return;
            long ackDelay = space.Level == EncryptionLevel.Application ? ackDelayRaw << (int)(_peerParameters?.AckDelayExponent ?? 3) : 0;
            _loss.OnAckReceived(space.Level, ranges[..((int)rangeCount + 1)], ackDelay, now);
        }
        finally
        {
            if (rented is not null) ArrayPool<AckRange>.Shared.Return(rented);
        }
    }

    void ILossDetectionHandler.OnPacketAcked(EncryptionLevel level, SentPacket packet)
    {
        var space = SpaceFor(level);
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
