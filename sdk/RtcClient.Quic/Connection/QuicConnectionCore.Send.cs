using System.Buffers.Binary;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Streams;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Sending: packets built per space, coalesced into one datagram (RFC 9000 section 12.2), padded and
// protected (RFC 9001 section 5).
internal sealed partial class QuicConnectionCore
{
    private const int PacketNumberLength = 4; // always 4 bytes: simple, and the header protection sample always fits
    private const int MinimumInitialDatagram = 1200;

    // Frame types recorded in sent packets (RFC 9000 section 19); "blocked" stands for all *_BLOCKED frames.
    private const long FrameAck = 0x02, FrameResetStream = 0x04, FrameStopSending = 0x05, FrameCrypto = 0x06, FrameStream = 0x08,
        FrameMaxData = 0x10, FrameMaxStreamData = 0x11, FrameMaxStreamsBidi = 0x12, FrameMaxStreamsUni = 0x13, FrameBlocked = 0x14,
        FrameNewConnectionId = 0x18, FrameRetireConnectionId = 0x19, FrameHandshakeDone = 0x1e;

    private SentPacket? _spareRecord;
    private int _maxDatagramSize = 1200;
    private readonly PacketSlot[] _slots = new PacketSlot[3];
    private long _amplificationReceived;
    private long _amplificationSent;
    private bool _addressValidated;
    private long _lastSendTime;
    private bool _ackElicitingSentSinceReceive;
    private readonly byte[] _pathResponse = new byte[8];
    private bool _pathResponsePending;

    private long AmplificationCredit => _addressValidated || IsClient ? long.MaxValue : 3 * _amplificationReceived - _amplificationSent;

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
        int limit = Math.Min(buffer.Length, _maxDatagramSize);
        long credit = AmplificationCredit;
        if (credit < limit) limit = (int)Math.Max(0, credit);
        if (limit < 64) return 0;

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
        if (slotCount == 0) return 0;

        // RFC 9000 section 14.1: datagrams with Initial packets are padded to 1200 (ack-only ones from a server excepted).
        if (hasInitial && (IsClient || ackElicitingDatagram) && pos < MinimumInitialDatagram && limit >= MinimumInitialDatagram)
        {
            // PADDING frames at the end of the last packet (its tag moves to the new end).
            buffer[(pos - PacketProtection.TagLength)..MinimumInitialDatagram].Clear();
            pos = MinimumInitialDatagram;
        }

        for (int i = 0; i < slotCount; i++)
        {
            var slot = slots[i];
            int end = i + 1 < slotCount ? slots[i + 1].Start : pos;
            var packet = buffer[slot.Start..end];
            if (slot.LengthFieldOffset > 0)
            {
                int length = end - slot.Start - slot.LengthFieldOffset - 2;
                BinaryPrimitives.WriteUInt16BigEndian(packet[slot.LengthFieldOffset..], (ushort)(0x4000 | length));
            }
            slot.Space.WriteKeys!.Protect(packet, slot.HeaderLength, slot.PacketNumber);
            var record = slot.Record;
            record.SentBytes = packet.Length;
            record.InFlight = record.AckEliciting;
            _loss.OnPacketSent(slot.Space.Level, record, now);
            _stats.PacketsSent++;
        }

        if (ackElicitingDatagram && !_ackElicitingSentSinceReceive)
        {
            // RFC 9000 section 10.1: the idle timer restarts on the first ack-eliciting packet after a receipt.
            _ackElicitingSentSinceReceive = true;
            _lastActivity = now;
        }
        _lastSendTime = now;
        _stats.BytesSent += pos;
        _amplificationSent += pos;
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

    private bool CongestionAllows => _loss.CongestionController.BytesInFlight < _loss.CongestionController.CongestionWindow;

    private bool HasSomethingToSend(PacketNumberSpace space, long now)
    {
        if (_state == ConnectionState.Closing) return _closeFrameNeeded && (space.Level != EncryptionLevel.Application || _handshakeComplete);
        if (space.WantsAck(now)) return true;
        if (space.ProbesPending > 0) return true;
        if (!CongestionAllows) return false;
        if (space.CryptoSend.HasDataToSend(long.MaxValue)) return true;
        if (space.Level != EncryptionLevel.Application) return false;
        return HasApplicationWork();
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
        int start = pos;
        var header = datagram[start..];
        int h = WriteHeader(space, header, out int lengthFieldOffset);
        long pn = space.NextPacketNumber;
        BinaryPrimitives.WriteUInt32BigEndian(header[h..], (uint)pn);
        h += PacketNumberLength;

        int payloadMax = datagram.Length - start - h - PacketProtection.TagLength;
        if (payloadMax < 8) return Fail(out slot);
        var writer = new PayloadWriter(header.Slice(h, payloadMax));
        record.PacketNumber = pn;
        WriteFrames(space, ref writer, record, now);
        if (writer.Position == 0) return Fail(out slot);
        // Short packets still need 4 bytes after the packet number for the header protection sample:
        // our packet number is 4 bytes and the tag is 16, so any payload works; keep at least 1 byte.
        pos = start + h + writer.Position + PacketProtection.TagLength;
        space.NextPacketNumber++;
        slot = new PacketSlot(space, start, h, lengthFieldOffset, pn, record);
        return true;
    }

    /// <summary>Writes a long or short header up to (not including) the packet number; returns its length.</summary>
    private int WriteHeader(PacketNumberSpace space, Span<byte> header, out int lengthFieldOffset)
    {
        int h = 0;
        lengthFieldOffset = 0;
        var dcid = DestinationConnectionId.Span;
        if (space.Level == EncryptionLevel.Application)
        {
            header[h++] = (byte)(0x40 | (_writePhase << 2) | (PacketNumberLength - 1));
            dcid.CopyTo(header[h..]);
            return h + dcid.Length;
        }
        int type = space.Level == EncryptionLevel.Initial ? 0 : 2;
        header[h++] = (byte)(0xC0 | (type << 4) | (PacketNumberLength - 1));
        BinaryPrimitives.WriteUInt32BigEndian(header[h..], Version1);
        h += 4;
        header[h++] = (byte)dcid.Length;
        dcid.CopyTo(header[h..]);
        h += dcid.Length;
        var scid = SourceConnectionId.Span;
        header[h++] = (byte)scid.Length;
        scid.CopyTo(header[h..]);
        h += scid.Length;
        if (type == 0) header[h++] = 0; // no token
        lengthFieldOffset = h;
        return h + 2; // length, filled in once the packet is complete
    }

    /// <summary>
    /// Builds one packet at <paramref name="level"/> carrying exactly <paramref name="frames"/> (Initial
    /// padded to 1200 bytes). For tests and fuzzers that must speak as a misbehaving peer.
    /// </summary>
    internal int WriteRawPacket(EncryptionLevel level, ReadOnlySpan<byte> frames, Span<byte> buffer)
    {
        var space = SpaceFor(level);
        if (space.WriteKeys is null) throw new InvalidOperationException($"no {level} keys");
        int h = WriteHeader(space, buffer, out int lengthFieldOffset);
        long pn = space.NextPacketNumber++;
        BinaryPrimitives.WriteUInt32BigEndian(buffer[h..], (uint)pn);
        h += PacketNumberLength;
        frames.CopyTo(buffer[h..]);
        int end = h + frames.Length + PacketProtection.TagLength;
        if (level == EncryptionLevel.Initial && end < MinimumInitialDatagram)
        {
            buffer[(h + frames.Length)..MinimumInitialDatagram].Clear();
            end = MinimumInitialDatagram;
        }
        if (lengthFieldOffset > 0) BinaryPrimitives.WriteUInt16BigEndian(buffer[lengthFieldOffset..], (ushort)(0x4000 | (end - lengthFieldOffset - 2)));
        space.WriteKeys.Protect(buffer[..end], h, pn);
        return end;
    }

    private static bool Fail(out PacketSlot slot)
    {
        slot = default;
        return false;
    }

    private void WriteFrames(PacketNumberSpace space, ref PayloadWriter w, SentPacket record, long now)
    {
        if (_state == ConnectionState.Closing)
        {
            WriteConnectionClose(space, ref w);
            return;
        }
        if (space.AckRangesChanged && !space.Received.IsEmpty && (space.WantsAck(now) || space.AckElicitingSinceAck > 0 || space.ProbesPending > 0))
            WriteAckFrame(space, ref w, record, now);

        bool congestionOk = CongestionAllows || space.ProbesPending > 0;
        if (congestionOk)
        {
            WriteCryptoFrames(space, ref w, record);
            if (space.Level == EncryptionLevel.Application) WriteApplicationFrames(ref w, record);
        }
        if (space.ProbesPending > 0)
        {
            space.ProbesPending--;
            if (!record.AckEliciting && w.Remaining >= 1)
            {
                w.Byte(0x01); // PING
                record.AckEliciting = true;
            }
        }
    }

    private void WriteAckFrame(PacketNumberSpace space, ref PayloadWriter w, SentPacket record, long now)
    {
        var ranges = space.Received;
        int last = ranges.Count - 1;
        long largest = ranges.EndAt(last) - 1;
        long delay = space.Level == EncryptionLevel.Application ? Math.Max(0, now - space.LargestReceivedTime) >> 3 : 0;
        int needed = 1 + VariableLengthInteger.GetLength(largest) + VariableLengthInteger.GetLength(delay) + 1 + 8;
        if (w.Remaining < needed + 8) return;
        int start = w.Position;
        w.Byte(0x02);
        w.Varint(largest);
        w.Varint(delay);
        // Count the ranges that fit (each at most 16 bytes).
        int extra = Math.Min(last, Math.Max(0, (w.Remaining - 12) / 16));
        w.Varint(extra);
        w.Varint(largest - ranges.StartAt(last));
        long previousSmallest = ranges.StartAt(last);
        for (int i = last - 1; i >= last - extra; i--)
        {
            long s = ranges.StartAt(i), e = ranges.EndAt(i);
            w.Varint(previousSmallest - (e - 1) - 2);
            w.Varint(e - 1 - s);
            previousSmallest = s;
        }
        _ = start;
        space.AckElicitingSinceAck = 0;
        space.AckImmediately = false;
        space.AckDeadline = long.MaxValue;
        space.AckRangesChanged = false;
        record.LargestAcknowledged = largest;
        record.AddFrame(new SentFrame(FrameAck, largest));
    }

    private static void WriteCryptoFrames(PacketNumberSpace space, ref PayloadWriter w, SentPacket record)
    {
        while (w.Remaining > 16 && space.CryptoSend.HasDataToSend(long.MaxValue))
        {
            int overhead = 1 + 8 + 2;
            if (!space.CryptoSend.TryGetNextChunk(w.Remaining - overhead, long.MaxValue, out var chunk)) break;
            long offset = chunk.Offset;
            int length = chunk.Length;
            if (length == 0) break;
            w.Byte(0x06);
            w.Varint(offset);
            w.Varint(length);
            space.CryptoSend.CopyTo(offset, w.Reserve(length));
            record.AddFrame(new SentFrame(FrameCrypto, 0, offset, length));
            record.AckEliciting = true;
        }
    }

    private void WriteApplicationFrames(ref PayloadWriter w, SentPacket record)
    {
        if (_handshakeDonePending && w.Remaining >= 1)
        {
            w.Byte(0x1e);
            _handshakeDonePending = false;
            Control(record, FrameHandshakeDone);
        }
        if (_pathResponsePending && w.Remaining >= 9)
        {
            w.Byte(0x1b);
            w.Bytes(_pathResponse);
            _pathResponsePending = false;
            record.AckEliciting = true;
        }
        if (_maxDataPending && w.Remaining >= 9)
        {
            w.Byte(0x10);
            w.Varint(_receiveMaxData);
            _maxDataPending = false;
            Control(record, FrameMaxData);
        }
        if (_maxStreamsBidiPending && w.Remaining >= 9)
        {
            w.Byte(0x12);
            w.Varint(_maxStreamsBidiLocalLimit);
            _maxStreamsBidiPending = false;
            Control(record, FrameMaxStreamsBidi);
        }
        if (_maxStreamsUniPending && w.Remaining >= 9)
        {
            w.Byte(0x13);
            w.Varint(_maxStreamsUniLocalLimit);
            _maxStreamsUniPending = false;
            Control(record, FrameMaxStreamsUni);
        }
        if (_dataBlockedPending && w.Remaining >= 9)
        {
            w.Byte(0x14);
            w.Varint(_sendMaxData);
            _dataBlockedPending = false;
            Control(record, FrameBlocked);
        }
        foreach (var c in _localCids)
        {
            if (!c.Pending || w.Remaining < 1 + 8 + 8 + 1 + c.Id.Length + 16) continue;
            w.Byte(0x18);
            w.Varint(c.Sequence);
            w.Varint(0);
            w.Byte((byte)c.Id.Length);
            w.Bytes(c.Id.Span);
            w.Bytes(c.ResetToken);
            c.Pending = false;
            Control(record, FrameNewConnectionId, c.Sequence);
        }
        while (_retireQueue.Count > 0 && w.Remaining >= 9)
        {
            long seq = _retireQueue[^1];
            _retireQueue.RemoveAt(_retireQueue.Count - 1);
            w.Byte(0x19);
            w.Varint(seq);
            Control(record, FrameRetireConnectionId, seq);
        }
        WriteStreamFrames(ref w, record);
        WriteDatagramFrames(ref w, record);
        if (_keyUpdatePing && w.Remaining >= 1 && !record.AckEliciting)
        {
            w.Byte(0x01);
            record.AckEliciting = true;
        }
        _keyUpdatePing = false;
    }

    private static void Control(SentPacket record, long frameType, long id = 0)
    {
        record.AddFrame(new SentFrame(frameType, id));
        record.AckEliciting = true;
    }

    private void WriteStreamFrames(ref PayloadWriter w, SentPacket record)
    {
        int rounds = _sendQueue.Count;
        while (rounds-- > 0 && w.Remaining > 24)
        {
            var s = _sendQueue.Peek();
            WriteStreamControl(s, ref w, record);
            long credit = _sendMaxData - _sentData;
            if (s.Send is not null && s.ResetCode is null)
            {
                long limitOffset = s.SendOffsetLimit(credit);
                while (w.Remaining > 24 && s.Send.HasDataToSend(limitOffset))
                {
                    int overhead = 1 + VariableLengthInteger.GetLength(s.Id) + 8 + 2;
                    long before = s.Send.SentOffset;
                    if (!s.Send.TryGetNextChunk(w.Remaining - overhead, limitOffset, out var chunk)) break;
                    long offset = chunk.Offset;
                    int length = chunk.Length;
                    bool fin = chunk.Fin;
                    _sentData += s.Send.SentOffset - before;
                    byte type = (byte)(0x08 | 0x02 | (offset > 0 ? 0x04 : 0) | (fin ? 0x01 : 0));
                    w.Byte(type);
                    w.Varint(s.Id);
                    if (offset > 0) w.Varint(offset);
                    w.Varint(length);
                    s.Send.CopyTo(offset, w.Reserve(length));
                    record.AddFrame(new SentFrame(FrameStream, s.Id, offset, length, fin));
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
            if (s.HasSendWork(_sendMaxData - _sentData) && w.Remaining <= 24) break; // packet full: keep this stream first
            _sendQueue.Dequeue();
            // A stream blocked only by flow control leaves the queue; MAX_DATA / MAX_STREAM_DATA requeue it.
            if (s.HasSendWork(_sendMaxData - _sentData)) _sendQueue.Enqueue(s);
            else s.InSendQueue = false;
        }
    }

    private void WriteStreamControl(StreamState s, ref PayloadWriter w, SentPacket record)
    {
        if (s.ResetPending && w.Remaining >= 25)
        {
            w.Byte(0x04);
            w.Varint(s.Id);
            w.Varint(s.ResetCode!.Value);
            w.Varint(s.ResetFinalSize);
            s.ResetPending = false;
            Control(record, FrameResetStream, s.Id);
        }
        if (s.StopSendingPending && w.Remaining >= 17)
        {
            w.Byte(0x05);
            w.Varint(s.Id);
            w.Varint(s.StopSendingCode!.Value);
            s.StopSendingPending = false;
            Control(record, FrameStopSending, s.Id);
        }
        if (s.MaxStreamDataPending && w.Remaining >= 17)
        {
            s.MaxStreamDataPending = false;
            if (s.ResetReceived is null && !s.ReceiveDone)
            {
                w.Byte(0x11);
                w.Varint(s.Id);
                w.Varint(s.ReceiveLimit);
                Control(record, FrameMaxStreamData, s.Id);
            }
        }
        if (s.BlockedPending && w.Remaining >= 17)
        {
            s.BlockedPending = false;
            w.Byte(0x15);
            w.Varint(s.Id);
            w.Varint(s.SendLimit);
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
