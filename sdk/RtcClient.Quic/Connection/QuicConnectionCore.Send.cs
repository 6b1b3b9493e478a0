using System.Buffers.Binary;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Sending: packets built per space, coalesced into one datagram (RFC 9000 section 12.2), padded and
// protected (RFC 9001 section 5). Every frame is encoded by FrameWriter, every header by PacketWriter.
internal sealed partial class QuicConnectionCore
{
    private const int MinimumInitialDatagram = 1200;
    // Room an empty packet keeps for frames at the least: below this a packet is not worth starting.
    private const int MinimumPacketPayload = 8;
    // A stream frame is worth starting only with this much room (header plus some data).
    private const int MinimumStreamFrameRoom = 24;
    // ACK frames carry at most this many ranges (the receive history keeps as many).
    private const int MaxAckRanges = 64;
    // We announce the default ack_delay_exponent.
    private const int AckDelayExponent = (int)TransportParameters.DefaultAckDelayExponent;

    // Frame types recorded in sent packets (RFC 9000 section 19); "blocked" stands for all *_BLOCKED frames.
    private const long FrameAck = (long)FrameType.Ack, FrameResetStream = (long)FrameType.ResetStream, FrameStopSending = (long)FrameType.StopSending,
        FrameCrypto = (long)FrameType.Crypto, FrameStream = (long)FrameType.Stream, FrameMaxData = (long)FrameType.MaxData,
        FrameMaxStreamData = (long)FrameType.MaxStreamData, FrameMaxStreamsBidi = (long)FrameType.MaxStreamsBidi,
        FrameMaxStreamsUni = (long)FrameType.MaxStreamsUni, FrameBlocked = (long)FrameType.DataBlocked,
        FrameNewConnectionId = (long)FrameType.NewConnectionId, FrameRetireConnectionId = (long)FrameType.RetireConnectionId,
        FrameHandshakeDone = (long)FrameType.HandshakeDone;

    private SentPacket? _spareRecord;
    private int _maxDatagramSize = PathMtuDiscovery.BasePlpmtu;
    private readonly PacketSlot[] _slots = new PacketSlot[3];
    private long _amplificationReceived;
    private long _amplificationSent;
    private bool _addressValidated;
    private long _lastSendTime;
    private bool _ackElicitingSentSinceReceive;
    private readonly byte[] _pathResponse = new byte[8];
    private bool _pathResponsePending;

    private long AmplificationCredit => _addressValidated || IsClient ? long.MaxValue : 3 * _amplificationReceived - _amplificationSent;

    /// <summary>True once the peer's address is validated (RFC 9000 section 8.1): always for a client.</summary>
    public bool IsAddressValidated => _addressValidated || IsClient;

    private readonly struct PacketSlot(PacketNumberSpace space, int start, int headerLength, int lengthFieldOffset, long packetNumber, SentPacket record)
    {
        public PacketNumberSpace Space { get; } = space;
        public int Start { get; } = start;
        public int HeaderLength { get; } = headerLength;
        public int LengthFieldOffset { get; } = lengthFieldOffset;
        public long PacketNumber { get; } = packetNumber;
        public SentPacket Record { get; } = record;
    }

    /// <summary>
    /// Builds the next datagram into <paramref name="buffer"/> (at least 1200 bytes); returns its length,
    /// or 0 when there is nothing to send now (call again after the next input or timeout).
    /// </summary>
    public int WriteDatagram(Span<byte> buffer, long now)
    {
        if (_state is ConnectionState.Draining or ConnectionState.Closed) return 0;
        _lastEventTime = now;
        try
        {
            int length = BuildDatagram(buffer, now);
            if (length > 0) UpdateLossDetectorState(now);
            return length;
        }
#pragma warning disable CA1031 // a bug must close this connection, never the process
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            EnterTerminal(new ConnectionCloseInfo(CloseKind.ConnectionClose, false, false, (long)TransportErrorCode.InternalError, "internal error: " + e.Message), now, drain: true);
            return 0;
        }
#pragma warning restore CA1031
    }

    private int BuildDatagram(Span<byte> buffer, long now)
    {
        _pacingReleaseTime = long.MaxValue;
        int limit = Math.Min(buffer.Length, _maxDatagramSize);
        // PTO probes go at the base size: they must arrive even if the path stopped carrying the larger one.
        if (limit > PathMtuDiscovery.BasePlpmtu && (_spaces[0].ProbesPending | _spaces[1].ProbesPending | _spaces[2].ProbesPending) > 0)
            limit = PathMtuDiscovery.BasePlpmtu;
        long credit = AmplificationCredit;
        if (credit < limit) limit = (int)Math.Max(0, credit);
        if (limit < 64) return 0;

        EnforceConfidentialityLimit(now);
        long release = UpdateSendAllowance(now);
        int probe = BuildPathMtuProbe(buffer, now);
        if (probe > 0) return probe;

        var slots = _slots;
        int slotCount = 0;
        int pos = 0;
        bool hasInitial = false;
        bool ackElicitingDatagram = false;
        foreach (var space in _spaces)
        {
            if (space.Discarded || space.WriteKeys is null) continue;
            if (space.Level == EncryptionLevel.Application && !_handshakeComplete && _state == ConnectionState.Open) continue;
            if (limit - pos < 64) break;
            if (!HasSomethingToSend(space, now)) continue;
            var record = _spareRecord ?? _loss.RentPacket();
            _spareRecord = null;
            if (!BuildPacket(space, buffer[..limit], ref pos, now, record, out var slot))
            {
                _spareRecord = record; // nothing was written into it
                continue;
            }
            slots[slotCount++] = slot;
            hasInitial |= space.Level == EncryptionLevel.Initial;
            ackElicitingDatagram |= record.AckEliciting;
        }
        if (slotCount == 0)
        {
            bool waiting = HasCongestionControlledWork();
            // Held back by the pacer only: wake up when it releases the next packet.
            if (release > now && waiting) _pacingReleaseTime = release;
            // RFC 9002 section 7.8: the sender ran dry with room left in the window, so the window is not what
            // limits it and must not grow on what it sent (an audio flow would otherwise grow it without bound).
            var cc = _loss.CongestionController;
            if (!waiting && cc.BytesInFlight < cc.CongestionWindow) cc.ApplicationLimited = true;
            return 0;
        }

        // RFC 9000 section 14.1: datagrams with Initial packets are padded to 1200 (ack-only ones from a server excepted).
        if (hasInitial && (IsClient || ackElicitingDatagram) && pos < MinimumInitialDatagram && limit >= MinimumInitialDatagram)
        {
            // PADDING frames at the end of the last packet (its tag moves to the new end).
            FrameWriter.TryWritePadding(buffer[(pos - PacketProtection.TagLength)..], MinimumInitialDatagram - pos, out _);
            pos = MinimumInitialDatagram;
        }

        for (int i = 0; i < slotCount; i++)
        {
            var slot = slots[i];
            int end = i + 1 < slotCount ? slots[i + 1].Start : pos;
            var packet = buffer[slot.Start..end];
            if (slot.LengthFieldOffset > 0)
                PacketWriter.WriteLength(packet, slot.LengthFieldOffset, end - slot.Start - slot.LengthFieldOffset - PacketWriter.DefaultLengthFieldSize);
            slot.Space.WriteKeys!.Protect(packet, slot.HeaderLength, slot.PacketNumber);
            if (slot.Space.Level == EncryptionLevel.Application) CountProtectedPacket();
            var record = slot.Record;
            record.SentBytes = packet.Length;
            record.InFlight = record.AckEliciting;
            _loss.OnPacketSent(slot.Space.Level, record, now);
            _stats.PacketsSent++;
            _qlog?.PacketSent(slot.Space.Level, slot.PacketNumber, packet.Length, now);
        }

        OnDatagramSent(pos, ackElicitingDatagram, now);
        // RFC 9001 section 4.9.1: a client drops Initial keys once it sends a Handshake packet.
        if (IsClient && !_spaces[0].Discarded)
        {
            for (int i = 0; i < slotCount; i++)
            {
                if (slots[i].Space.Level == EncryptionLevel.Handshake)
                {
                    DiscardSpace(_spaces[0]);
                    break;
                }
            }
        }
        if (_state == ConnectionState.Closing) _closeFrameNeeded = false;
        return pos;
    }

    /// <summary>Bookkeeping common to every datagram sent: idle timer, pacing, statistics, anti-amplification.</summary>
    private void OnDatagramSent(int length, bool ackEliciting, long now)
    {
        if (ackEliciting)
        {
            // RFC 9000 section 10.1: the idle timer restarts on the first ack-eliciting packet after a receipt.
            if (!_ackElicitingSentSinceReceive)
            {
                _ackElicitingSentSinceReceive = true;
                _lastActivity = now;
            }
            var cc = _loss.CongestionController;
            _pacer.OnPacketSent(now, length, cc.CongestionWindow, _loss.Rtt.SmoothedRtt);
        }
        _lastSendTime = now;
        _stats.BytesSent += length;
        _amplificationSent += length;
    }

    private bool HasSomethingToSend(PacketNumberSpace space, long now)
    {
        if (_state == ConnectionState.Closing) return _closeFrameNeeded && (space.Level != EncryptionLevel.Application || _handshakeComplete);
        if (space.WantsAck(now)) return true;
        if (space.ProbesPending > 0) return true;
        if (!_congestionControlledAllowed) return false;
        if (space.CryptoSend.HasDataToSend(long.MaxValue)) return true;
        if (space.Level != EncryptionLevel.Application) return false;
        return HasApplicationWork();
    }

    /// <summary>True when data the congestion controller and pacer govern waits to be sent.</summary>
    private bool HasCongestionControlledWork()
    {
        foreach (var space in _spaces)
        {
            if (!space.Discarded && space.WriteKeys is not null && space.CryptoSend.HasDataToSend(long.MaxValue)) return true;
        }
        return _handshakeComplete && _spaces[2].WriteKeys is not null && HasApplicationWork();
    }

    private bool HasApplicationWork()
    {
        if (_handshakeDonePending || _maxDataPending || _maxStreamsBidiPending || _maxStreamsUniPending || _pathResponsePending || _dataBlockedPending) return true;
        if (_retireQueue.Count > 0 || _datagramQueue.Count > 0 || _keyUpdatePing) return true;
        foreach (var c in _localCids) if (c.Pending) return true;
        long credit = _sendMaxData - _sentData;
        foreach (var s in _sendQueue) if (s.HasSendWork(credit)) return true;
        return false;
    }

    private bool BuildPacket(PacketNumberSpace space, Span<byte> datagram, ref int pos, long now, SentPacket record, out PacketSlot slot)
    {
        // RFC 9001 section 6.6: no 1-RTT packet beyond the confidentiality limit of the current keys.
        if (space.Level == EncryptionLevel.Application && !MayProtectApplicationPacket) return Fail(out slot);
        int start = pos;
        var packet = datagram[start..];
        long pn = space.NextPacketNumber;
        int pnLength = PacketNumber.GetEncodedLength(pn, _loss.GetTracker(space.Level).LargestAcked);
        int h = WriteHeader(space, packet, pn, pnLength, out int lengthFieldOffset);
        if (h == 0) return Fail(out slot);

        int payloadMax = packet.Length - h - PacketProtection.TagLength;
        if (payloadMax < MinimumPacketPayload) return Fail(out slot);
        var payload = packet.Slice(h, payloadMax);
        int written = 0;
        record.PacketNumber = pn;
        WriteFrames(space, payload, ref written, record, now);
        if (written == 0) return Fail(out slot);
        // RFC 9001 section 5.4.2: packet number and payload span at least 4 bytes, so the header protection sample fits.
        int minimum = PacketProtection.GetMinimumPayloadLength(pnLength);
        if (written < minimum && FrameWriter.TryWritePadding(payload[written..], minimum - written, out int padding)) written += padding;
        pos = start + h + written + PacketProtection.TagLength;
        space.NextPacketNumber++;
        _stats.CountPacketNumberLength(pnLength);
        slot = new PacketSlot(space, start, h, lengthFieldOffset, pn, record);
        return true;
    }

    /// <summary>
    /// Writes a long header (Initial without token, Handshake) or a short header through the packet number;
    /// returns its length (0 when it does not fit). A long header leaves its 2-byte Length field to fill.
    /// </summary>
    private int WriteHeader(PacketNumberSpace space, Span<byte> packet, long packetNumber, int packetNumberLength, out int lengthFieldOffset)
    {
        lengthFieldOffset = 0;
        var dcid = DestinationConnectionId.Span;
        if (space.Level == EncryptionLevel.Application)
            return PacketWriter.WriteShortHeader(packet, dcid, packetNumber, packetNumberLength, spinBit: false, keyPhase: _writePhase == 1);
        var type = space.Level == EncryptionLevel.Initial ? PacketType.Initial : PacketType.Handshake;
        return PacketWriter.WriteLongHeader(packet, type, Version1, dcid, SourceConnectionId.Span, token: default, packetNumber, packetNumberLength, out lengthFieldOffset);
    }

    /// <summary>
    /// Builds one packet at <paramref name="level"/> carrying exactly <paramref name="frames"/> (Initial
    /// padded to 1200 bytes, 4-byte packet number). For tests and fuzzers that must speak as a misbehaving peer.
    /// </summary>
    internal int WriteRawPacket(EncryptionLevel level, ReadOnlySpan<byte> frames, Span<byte> buffer)
    {
        const int RawPacketNumberLength = 4;
        var space = SpaceFor(level);
        if (space.WriteKeys is null) throw new InvalidOperationException($"no {level} keys");
        long pn = space.NextPacketNumber++;
        int h = WriteHeader(space, buffer, pn, RawPacketNumberLength, out int lengthFieldOffset);
        frames.CopyTo(buffer[h..]);
        int end = h + frames.Length + PacketProtection.TagLength;
        if (level == EncryptionLevel.Initial && end < MinimumInitialDatagram)
        {
            buffer[(h + frames.Length)..MinimumInitialDatagram].Clear();
            end = MinimumInitialDatagram;
        }
        if (lengthFieldOffset > 0) PacketWriter.WriteLength(buffer, lengthFieldOffset, end - lengthFieldOffset - PacketWriter.DefaultLengthFieldSize);
        space.WriteKeys.Protect(buffer[..end], h, pn);
        return end;
    }

    private static bool Fail(out PacketSlot slot)
    {
        slot = default;
        return false;
    }

    private void WriteFrames(PacketNumberSpace space, Span<byte> payload, ref int pos, SentPacket record, long now)
    {
        if (_state == ConnectionState.Closing)
        {
            WriteConnectionClose(space, payload, ref pos);
            return;
        }
        if (space.AckRangesChanged && !space.Received.IsEmpty && (space.WantsAck(now) || space.AckElicitingSinceAck > 0 || space.ProbesPending > 0))
            WriteAckFrame(space, payload, ref pos, record, now);

        bool congestionOk = _congestionControlledAllowed || space.ProbesPending > 0;
        if (congestionOk)
        {
            WriteCryptoFrames(space, payload, ref pos, record);
            if (space.Level == EncryptionLevel.Application) WriteApplicationFrames(payload, ref pos, record);
        }
        if (space.ProbesPending > 0)
        {
            space.ProbesPending--;
            if (!record.AckEliciting) WritePing(payload, ref pos, record);
        }
    }

    private static void WritePing(Span<byte> payload, ref int pos, SentPacket record)
    {
        if (!FrameWriter.TryWritePing(payload[pos..], out int n)) return;
        pos += n;
        record.AckEliciting = true;
    }

    private void WriteAckFrame(PacketNumberSpace space, Span<byte> payload, ref int pos, SentPacket record, long now)
    {
        var received = space.Received;
        int count = Math.Min(received.Count, MaxAckRanges);
        int last = received.Count - 1;
        Span<AckRange> ranges = stackalloc AckRange[MaxAckRanges];
        for (int i = 0; i < count; i++) ranges[i] = new AckRange(received.StartAt(last - i), received.EndAt(last - i) - 1);
        long largest = ranges[0].Largest;
        long delay = space.Level == EncryptionLevel.Application ? Math.Max(0, now - space.LargestReceivedTime) >> AckDelayExponent : 0;
        // Only the newest ranges when room is short (RFC 9000 section 13.2.4); leave room for other frames.
        int fit = FrameSize.GetMaxAckRangeCount(ranges[..count], delay, payload.Length - pos);
        if (fit == 0 || !FrameWriter.TryWriteAck(payload[pos..], ranges[..fit], delay, null, out int n)) return;
        pos += n;
        space.AckElicitingSinceAck = 0;
        space.AckImmediately = false;
        space.AckDeadline = long.MaxValue;
        space.AckRangesChanged = false;
        record.LargestAcknowledged = largest;
        record.AddFrame(new SentFrame(FrameAck, largest));
    }

    private static void WriteCryptoFrames(PacketNumberSpace space, Span<byte> payload, ref int pos, SentPacket record)
    {
        var send = space.CryptoSend;
        while (send.HasDataToSend(long.MaxValue))
        {
            var room = payload[pos..];
            // The chunk's offset is at most what was written: size the frame for that offset.
            int maxData = FrameSize.GetMaxCryptoDataLength(send.WrittenOffset, room.Length);
            if (maxData <= 0 || !send.TryGetNextChunk(maxData, long.MaxValue, out var chunk) || chunk.Length == 0) break;
            if (!FrameWriter.TryWriteCryptoHeader(room, chunk.Offset, chunk.Length, out int header))
            {
                send.OnLost(chunk.Offset, chunk.Length, false); // cannot happen: sized above; hand the range back
                break;
            }
            send.CopyTo(chunk.Offset, room.Slice(header, chunk.Length));
            pos += header + chunk.Length;
            record.AddFrame(new SentFrame(FrameCrypto, 0, chunk.Offset, chunk.Length));
            record.AckEliciting = true;
        }
    }

    private void WriteApplicationFrames(Span<byte> payload, ref int pos, SentPacket record)
    {
        int n;
        if (_handshakeDonePending && FrameWriter.TryWriteHandshakeDone(payload[pos..], out n))
        {
            pos += n;
            _handshakeDonePending = false;
            Control(record, FrameHandshakeDone);
        }
        if (_pathResponsePending && FrameWriter.TryWritePathResponse(payload[pos..], _pathResponse, out n))
        {
            pos += n;
            _pathResponsePending = false;
            record.AckEliciting = true;
        }
        if (_maxDataPending && FrameWriter.TryWriteMaxData(payload[pos..], _receiveMaxData, out n))
        {
            pos += n;
            _maxDataPending = false;
            Control(record, FrameMaxData);
        }
        if (_maxStreamsBidiPending && FrameWriter.TryWriteMaxStreams(payload[pos..], bidirectional: true, _maxStreamsBidiLocalLimit, out n))
        {
            pos += n;
            _maxStreamsBidiPending = false;
            Control(record, FrameMaxStreamsBidi);
        }
        if (_maxStreamsUniPending && FrameWriter.TryWriteMaxStreams(payload[pos..], bidirectional: false, _maxStreamsUniLocalLimit, out n))
        {
            pos += n;
            _maxStreamsUniPending = false;
            Control(record, FrameMaxStreamsUni);
        }
        if (_dataBlockedPending && FrameWriter.TryWriteDataBlocked(payload[pos..], _sendMaxData, out n))
        {
            pos += n;
            _dataBlockedPending = false;
            Control(record, FrameBlocked);
        }
        foreach (var c in _localCids)
        {
            if (!c.Pending || !FrameWriter.TryWriteNewConnectionId(payload[pos..], c.Sequence, 0, c.Id.Span, c.ResetToken, out n)) continue;
            pos += n;
            c.Pending = false;
            Control(record, FrameNewConnectionId, c.Sequence);
        }
        while (_retireQueue.Count > 0 && FrameWriter.TryWriteRetireConnectionId(payload[pos..], _retireQueue[^1], out n))
        {
            pos += n;
            long seq = _retireQueue[^1];
            _retireQueue.RemoveAt(_retireQueue.Count - 1);
            Control(record, FrameRetireConnectionId, seq);
        }
        WriteStreamFrames(payload, ref pos, record);
        WriteDatagramFrames(payload, ref pos, record);
        if (_keyUpdatePing && !record.AckEliciting) WritePing(payload, ref pos, record);
        _keyUpdatePing = false;
    }

    private static void Control(SentPacket record, long frameType, long id = 0)
    {
        record.AddFrame(new SentFrame(frameType, id));
        record.AckEliciting = true;
    }

    private void WriteStreamFrames(Span<byte> payload, ref int pos, SentPacket record)
    {
        int rounds = _sendQueue.Count;
        while (rounds-- > 0 && payload.Length - pos > MinimumStreamFrameRoom)
        {
            var s = _sendQueue.Peek();
            WriteStreamControl(s, payload, ref pos, record);
            long credit = _sendMaxData - _sentData;
            if (s.Send is not null && s.ResetCode is null)
            {
                long limitOffset = s.SendOffsetLimit(credit);
                while (payload.Length - pos > MinimumStreamFrameRoom && s.Send.HasDataToSend(limitOffset))
                {
                    var room = payload[pos..];
                    int maxData = FrameSize.GetMaxStreamDataLength(s.Id, s.Send.WrittenOffset, room.Length);
                    long before = s.Send.SentOffset;
                    if (maxData < 0 || !s.Send.TryGetNextChunk(maxData, limitOffset, out var chunk)) break;
                    if (!FrameWriter.TryWriteStreamHeader(room, s.Id, chunk.Offset, chunk.Length, chunk.Fin, includeLength: true, out int header))
                    {
                        s.Send.OnLost(chunk.Offset, chunk.Length, chunk.Fin); // cannot happen: sized above; hand the range back
                        break;
                    }
                    _sentData += s.Send.SentOffset - before;
                    s.Send.CopyTo(chunk.Offset, room.Slice(header, chunk.Length));
                    pos += header + chunk.Length;
                    record.AddFrame(new SentFrame(FrameStream, s.Id, chunk.Offset, chunk.Length, chunk.Fin));
                    record.AckEliciting = true;
                    limitOffset = s.SendOffsetLimit(_sendMaxData - _sentData);
                }
                // Tell the peer when its limits hold us back (RFC 9000 section 4.1).
                if (s.Send.SentOffset < s.Send.WrittenOffset)
                {
                    if (s.Send.SentOffset >= s.SendLimit && s.BlockedReportedAt != s.SendLimit)
                    {
                        s.BlockedReportedAt = s.SendLimit;
                        s.BlockedPending = true;
                    }
                    if (_sentData >= _sendMaxData && _dataBlockedAt != _sendMaxData)
                    {
                        _dataBlockedAt = _sendMaxData;
                        _dataBlockedPending = true;
                    }
                }
            }
            if (s.HasSendWork(_sendMaxData - _sentData) && payload.Length - pos <= MinimumStreamFrameRoom) break; // packet full: keep this stream first
            _sendQueue.Dequeue();
            // A stream blocked only by flow control leaves the queue; MAX_DATA / MAX_STREAM_DATA requeue it.
            if (s.HasSendWork(_sendMaxData - _sentData)) _sendQueue.Enqueue(s);
            else s.InSendQueue = false;
        }
    }

    private static void WriteStreamControl(StreamState s, Span<byte> payload, ref int pos, SentPacket record)
    {
        int n;
        if (s.ResetPending && FrameWriter.TryWriteResetStream(payload[pos..], s.Id, s.ResetCode!.Value, s.ResetFinalSize, out n))
        {
            pos += n;
            s.ResetPending = false;
            Control(record, FrameResetStream, s.Id);
        }
        if (s.StopSendingPending && FrameWriter.TryWriteStopSending(payload[pos..], s.Id, s.StopSendingCode!.Value, out n))
        {
            pos += n;
            s.StopSendingPending = false;
            Control(record, FrameStopSending, s.Id);
        }
        if (s.MaxStreamDataPending)
        {
            bool wanted = s.ResetReceived is null && !s.ReceiveDone;
            if (!wanted) s.MaxStreamDataPending = false;
            else if (FrameWriter.TryWriteMaxStreamData(payload[pos..], s.Id, s.ReceiveLimit, out n))
            {
                pos += n;
                s.MaxStreamDataPending = false;
                Control(record, FrameMaxStreamData, s.Id);
            }
        }
        if (s.BlockedPending && FrameWriter.TryWriteStreamDataBlocked(payload[pos..], s.Id, s.SendLimit, out n))
        {
            pos += n;
            s.BlockedPending = false;
            Control(record, FrameBlocked, s.Id);
        }
    }

    private void OnFrameAcked(PacketNumberSpace space, SentFrame frame)
    {
        switch (frame.FrameType)
        {
            case FrameCrypto:
                space.CryptoSend.OnAcked(frame.Offset, frame.Length, false);
                break;
            case FrameStream:
                if (_streams.TryGetValue(frame.StreamId, out var s) && s.Send is not null && s.ResetCode is null)
                {
                    bool wasFull = s.Send.AvailableCapacity == 0 && !s.Send.IsClosedForWriting;
                    s.Send.OnAcked(frame.Offset, frame.Length, frame.Fin);
                    if (wasFull || s.Send.IsAllAcknowledged) _events.OnStreamWritable(s.Id);
                    if (s.Send.IsAllAcknowledged) MaybeReleaseStream(s);
                }
                break;
            case FrameResetStream:
                if (_streams.TryGetValue(frame.StreamId, out var r))
                {
                    r.ResetAcknowledged = true;
                    _events.OnStreamWritable(r.Id);
                    MaybeReleaseStream(r);
                }
                break;
            default:
                break;
        }
    }

    private void OnFrameLost(PacketNumberSpace space, SentFrame frame)
    {
        switch (frame.FrameType)
        {
            case FrameCrypto:
                if (!space.Discarded) space.CryptoSend.OnLost(frame.Offset, frame.Length, false);
                break;
            case FrameStream:
                if (_streams.TryGetValue(frame.StreamId, out var s) && s.Send is not null && s.ResetCode is null)
                {
                    s.Send.OnLost(frame.Offset, frame.Length, frame.Fin);
                    QueueForSend(s);
                }
                break;
            case FrameMaxData: _maxDataPending = true; break;
            case FrameMaxStreamsBidi: _maxStreamsBidiPending = true; break;
            case FrameMaxStreamsUni: _maxStreamsUniPending = true; break;
            case FrameHandshakeDone: _handshakeDonePending = true; break;
            case FrameMaxStreamData:
                if (_streams.TryGetValue(frame.StreamId, out var m) && m.Receive is not null && m.ResetReceived is null && !m.ReceiveDone)
                {
                    m.MaxStreamDataPending = true;
                    QueueForSend(m);
                }
                break;
            case FrameResetStream:
                if (_streams.TryGetValue(frame.StreamId, out var rs))
                {
                    rs.ResetPending = true;
                    QueueForSend(rs);
                }
                break;
            case FrameStopSending:
                if (_streams.TryGetValue(frame.StreamId, out var ss) && ss.ResetReceived is null && !(ss.Receive?.IsFinished ?? true))
                {
                    ss.StopSendingPending = true;
                    QueueForSend(ss);
                }
                break;
            case FrameNewConnectionId:
                foreach (var c in _localCids) if (c.Sequence == frame.StreamId) c.Pending = true;
                break;
            case FrameRetireConnectionId:
                _retireQueue.Add(frame.StreamId);
                break;
            default:
                break;
        }
    }
}
