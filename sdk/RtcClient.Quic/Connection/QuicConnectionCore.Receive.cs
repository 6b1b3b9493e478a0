using System.Buffers.Binary;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tls;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Receiving: datagrams split into packets, header protection removed, payloads decrypted (RFC 9000
// section 12.2, RFC 9001 section 5), then frames processed.
internal sealed partial class QuicConnectionCore
{
    private long _lastActivity;
    private bool _receivedAnyPacket;

    /// <summary>
    /// Processes one received UDP datagram at time <paramref name="now"/>. The datagram is decrypted in
    /// place. Never throws for bad input.
    /// </summary>
    public void ReceiveDatagram(Span<byte> datagram, long now)
    {
        if (_state is ConnectionState.Draining or ConnectionState.Closed) return;
        _lastEventTime = now;
        _stats.BytesReceived += datagram.Length;
        _amplificationReceived += datagram.Length;
        bool mayBeReset = (datagram.Length > 0 && (datagram[0] & 0x80) == 0) && MatchesStatelessReset(datagram);
        bool anyProcessed = false;
        try
        {
            while (!datagram.IsEmpty)
            {
                int consumed = ReceivePacket(datagram, now, ref anyProcessed);
                if (consumed <= 0) break;
                datagram = datagram[consumed..];
                if (_state is ConnectionState.Draining or ConnectionState.Closed) break;
            }
            AfterAckProcessing();
            UpdateLossDetectorState(now);
        }
        catch (QuicProtocolException e)
        {
            CloseWithTransportError(e.Code, e.Message, e.FrameType, now);
        }
        catch (TlsAlertException e)
        {
            CloseWithTransportError((TransportErrorCode)e.QuicErrorCode, e.Message, 0x06, now);
        }
#pragma warning disable CA1031 // a bug must close this connection, never the process
        catch (Exception e)
        {
            CloseWithTransportError(TransportErrorCode.InternalError, "internal error: " + e.Message, 0, now);
        }
#pragma warning restore CA1031
        if (!anyProcessed && mayBeReset)
        {
            // RFC 9000 section 10.3.1: an unprocessable datagram ending in a known token is a stateless reset.
            EnterTerminal(new ConnectionCloseInfo(CloseKind.StatelessReset, true, false, 0, "stateless reset"), now, drain: true);
        }
    }

    /// <summary>Processes the packet at the start of <paramref name="data"/>; returns its length, or 0 to drop the rest.</summary>
    private int ReceivePacket(Span<byte> data, long now, ref bool anyProcessed)
    {
        byte first = data[0];
        if ((first & 0x80) != 0) return ReceiveLongHeaderPacket(data, now, ref anyProcessed);
        if ((first & 0x40) == 0) return 0; // fixed bit clear: not QUIC v1
        int dcidLength = _settings.LocalConnectionIdLength;
        if (data.Length < 1 + dcidLength + 4 + PacketProtection.TagLength) return 0;
        var space = _spaces[2];
        if (space.ReadKeys is null) return 0; // 1-RTT keys not yet available; loss recovery repeats it
        var dcid = new ConnectionId(data.Slice(1, dcidLength));
        int pnOffset = 1 + dcidLength;
        if (!space.ReadKeys.TryRemoveHeaderProtection(data, pnOffset, out int pnLength)) return 0;
        int headerLength = pnOffset + pnLength;
        long pn = DecodePacketNumber(space.LargestReceived, ReadTruncated(data.Slice(pnOffset, pnLength)), pnLength * 8);
        int phase = (data[0] >> 2) & 1;
        var keys = SelectReadKeys(phase, pn, out bool isNextPhase);
        if (keys is null) return data.Length;
        if (!keys.TryDecrypt(data, headerLength, pn, out int payloadLength))
        {
            OnAuthenticationFailure();
            return data.Length;
        }
        if ((data[0] & 0x18) != 0)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "reserved bits set in a short header");
        if (isNextPhase) OnPeerKeyUpdate(pn, now);
        anyProcessed = true;
        ProcessPacket(space, pn, data.Slice(headerLength, payloadLength), dcid, now);
        return data.Length;
    }

    private int ReceiveLongHeaderPacket(Span<byte> data, long now, ref bool anyProcessed)
    {
        if (data.Length < 7) return 0;
        uint version = BinaryPrimitives.ReadUInt32BigEndian(data[1..]);
        int pos = 5;
        int dcidLength = data[pos++];
        if (dcidLength > ConnectionId.MaxLength || data.Length < pos + dcidLength + 1) return 0;
        var dcid = new ConnectionId(data.Slice(pos, dcidLength));
        pos += dcidLength;
        int scidLength = data[pos++];
        if (scidLength > ConnectionId.MaxLength || data.Length < pos + scidLength) return 0;
        var scid = new ConnectionId(data.Slice(pos, scidLength));
        pos += scidLength;
        if (version == 0)
        {
            if (!anyProcessed) OnVersionNegotiation(data[pos..], dcid, scid, now);
            return 0;
        }
        if (version != Version1) return 0;
        if ((data[0] & 0x40) == 0) return 0;
        int type = (data[0] >> 4) & 3;
        PacketNumberSpace space;
        switch (type)
        {
            case 0:
                space = _spaces[0];
                if (!VariableLengthInteger.TryRead(data[pos..], out long tokenLength, out int read)) return 0;
                pos += read;
                if (tokenLength > data.Length - pos) return 0;
                pos += (int)tokenLength;
                break;
            case 2:
                space = _spaces[1];
                break;
            default:
                return 0; // 0-RTT is not accepted; Retry is not used yet
        }
        if (!VariableLengthInteger.TryRead(data[pos..], out long length, out int lengthBytes)) return 0;
        pos += lengthBytes;
        if (length > data.Length - pos) return 0;
        int packetLength = pos + (int)length;
        var packet = data[..packetLength];
        if (space.ReadKeys is null || space.Discarded) return packetLength;
        if (!space.ReadKeys.TryRemoveHeaderProtection(packet, pos, out int pnLength)) return packetLength;
        int headerLength = pos + pnLength;
        long pn = DecodePacketNumber(space.LargestReceived, ReadTruncated(packet.Slice(pos, pnLength)), pnLength * 8);
        if (!space.ReadKeys.TryDecrypt(packet, headerLength, pn, out int payloadLength))
        {
            // Initial keys are public: only failures under secret keys count toward the integrity limit.
            if (space.Level != EncryptionLevel.Initial) OnAuthenticationFailure();
            return packetLength;
        }
        if ((packet[0] & 0x0C) != 0)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "reserved bits set in a long header");
        anyProcessed = true;
        if (IsClient && !_peerCidChosen)
        {
            // RFC 9000 section 7.2: the client switches to the server's chosen connection ID.
            _peerCids[0] = new PeerConnectionId(0, scid, null);
            _peerCidChosen = true;
        }
        else if (!scid.Equals(_peerCids[0].Id) && !_handshakeComplete)
        {
            return packetLength; // a different source connection ID during the handshake: not our peer
        }
        if (!IsClient && space.Level == EncryptionLevel.Handshake)
        {
            // RFC 9000 section 8.1: a Handshake packet proves the client's address; RFC 9001 4.9.1: drop Initial keys.
            _addressValidated = true;
            DiscardSpace(_spaces[0]);
        }
        ProcessPacket(space, pn, packet.Slice(headerLength, payloadLength), dcid, now);
        return packetLength;
    }

    private static long ReadTruncated(ReadOnlySpan<byte> bytes)
    {
        long value = 0;
        foreach (byte b in bytes) value = (value << 8) | b;
        return value;
    }

    /// <summary>RFC 9000 appendix A.3.</summary>
    internal static long DecodePacketNumber(long largest, long truncated, int bits)
    {
        long expected = largest + 1;
        long window = 1L << bits;
        long halfWindow = window / 2;
        long mask = window - 1;
        long candidate = (expected & ~mask) | truncated;
        if (candidate <= expected - halfWindow && candidate < (1L << 62) - window) return candidate + window;
        if (candidate > expected + halfWindow && candidate >= window) return candidate - window;
        return candidate;
    }

    private void OnVersionNegotiation(ReadOnlySpan<byte> versions, ConnectionId dcid, ConnectionId scid, long now)
    {
        // RFC 9000 section 6.2: only a client that has received nothing else reacts, and only when the
        // packet answers ours and does not list the version we used.
        if (!IsClient || _receivedAnyPacket || !dcid.Equals(SourceConnectionId) || !scid.Equals(OriginalDestinationConnectionId)) return;
        if (versions.Length % 4 != 0) return;
        for (int i = 0; i + 4 <= versions.Length; i += 4)
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(versions[i..]) == Version1) return;
        }
        EnterTerminal(new ConnectionCloseInfo(CloseKind.VersionNegotiation, true, false, 0, "the server supports no version we speak"), now, drain: false);
    }

    private void ProcessPacket(PacketNumberSpace space, long pn, ReadOnlySpan<byte> payload, ConnectionId dcid, long now)
    {
        if (space.Received.Contains(pn) || pn < space.Received.ForgottenBelow) return; // duplicate or too old to track
        if (payload.IsEmpty) throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "packet without frames");
        _receivedAnyPacket = true;
        _stats.PacketsReceived++;
        _qlog?.PacketReceived(space.Level, pn, payload.Length, now);
        _lastActivity = now;
        _ackElicitingSentSinceReceive = false;
        bool ackEliciting = ProcessFrames(space, payload, dcid, now);
        if (_state == ConnectionState.Closing)
        {
            // RFC 9000 section 10.2.1: answer packets in the closing state with CONNECTION_CLOSE again.
            _closeFrameNeeded = true;
        }
        bool outOfOrder = pn < space.LargestReceived || (space.LargestReceived >= 0 && pn > space.LargestReceived + 1);
        space.Received.Add(pn, pn + 1); // keeps at most 64 ranges, forgetting the oldest
        space.AckRangesChanged = true;
        if (pn > space.LargestReceived)
        {
            space.LargestReceived = pn;
            space.LargestReceivedTime = now;
        }
        if (ackEliciting)
        {
            space.AckElicitingSinceAck++;
            if (space.Level != EncryptionLevel.Application || outOfOrder || space.AckElicitingSinceAck >= 2)
            {
                space.AckImmediately = true;
            }
            else if (space.AckDeadline == long.MaxValue)
            {
                space.AckDeadline = now + _settings.MaxAckDelayMs * 1000L;
            }
        }
        if (space.Level == EncryptionLevel.Application && _readPhaseStartPn < 0) _readPhaseStartPn = pn;
    }
}
