using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

// Streams and flow control (RFC 9000 sections 2-4).
internal sealed partial class QuicConnectionCore
{
    private readonly Dictionary<long, StreamState> _streams = [];
    private readonly Queue<StreamState> _sendQueue = new();

    // Connection-level flow control.
    private long _sendMaxData;          // peer's MAX_DATA
    private long _sentData;             // sum of highest offsets sent on all streams
    private bool _dataBlockedPending;
    private long _dataBlockedAt = -1;
    private long _receiveMaxData;       // our MAX_DATA advertised
    private long _receivedData;         // sum of highest offsets received
    private long _consumedData;         // bytes read by the application
    private bool _maxDataPending;

    // Stream counts.
    private long _peerMaxStreamsBidi, _peerMaxStreamsUni;    // how many we may open
    private long _openedBidi, _openedUni;                     // how many we opened
    private long _maxStreamsBidiLocalLimit, _maxStreamsUniLocalLimit; // how many the peer may open (advertised)
    private long _peerOpenedBidi, _peerOpenedUni;             // how many the peer opened (highest index + 1)
    private long _peerClosedBidi, _peerClosedUni;
    private bool _maxStreamsBidiPending, _maxStreamsUniPending;

    /// <summary>The outcome of a read.</summary>
    public enum ReadStatus
    {
        /// <summary>Bytes were copied (possibly zero when nothing is available yet).</summary>
        Data,
        /// <summary>The stream ended (FIN read).</summary>
        Finished,
        /// <summary>The peer reset the stream; see the code.</summary>
        Reset,
        /// <summary>We aborted reading or the stream does not exist.</summary>
        Aborted,
    }

    /// <summary>Opens a local stream; returns its ID, or -1 when the peer's MAX_STREAMS limit is reached.</summary>
    public long OpenStream(bool bidirectional)
    {
        if (!_handshakeComplete || _state != ConnectionState.Open) return -1;
        if (bidirectional ? _openedBidi >= _peerMaxStreamsBidi : _openedUni >= _peerMaxStreamsUni) return -1;
        long index = bidirectional ? _openedBidi++ : _openedUni++;
        long id = (index << 2) | (IsClient ? 0L : 1L) | (bidirectional ? 0L : 2L);
        CreateStream(id);
        return id;
    }

    /// <summary>True when another stream of this kind may be opened now.</summary>
    public bool CanOpenStream(bool bidirectional)
        => _handshakeComplete && _state == ConnectionState.Open && (bidirectional ? _openedBidi < _peerMaxStreamsBidi : _openedUni < _peerMaxStreamsUni);

    private StreamState CreateStream(long id)
    {
        var s = new StreamState(id, IsClient, _settings.StreamSendBufferSize, _settings.InitialMaxStreamData);
        if (s.Receive is not null)
        {
            s.ReceiveWindow = _settings.InitialMaxStreamData;
            s.ReceiveLimit = _settings.InitialMaxStreamData;
        }
        InitialiseSendLimit(s);
        _streams.Add(id, s);
        return s;
    }

    private void InitialiseSendLimit(StreamState s)
    {
        if (s.Send is null || _peerParameters is null || s.SendLimit > 0) return;
        // The peer's limits for a stream we opened use its "remote" parameter and vice versa.
        s.SendLimit = !s.IsBidirectional ? _peerParameters.InitialMaxStreamDataUni
            : s.IsLocal ? _peerParameters.InitialMaxStreamDataBidiRemote
            : _peerParameters.InitialMaxStreamDataBidiLocal;
    }

    /// <summary>
    /// Finds a stream for a frame from the peer, opening peer streams (and all lower ones) on first use.
    /// Returns null for a stream that already closed. Enforces stream ownership and limits.
    /// </summary>
    private StreamState? GetStreamForPeerFrame(long id, bool needsReceive, bool needsSend, long frameType)
    {
        if (_streams.TryGetValue(id, out var existing))
        {
            if ((needsReceive && existing.Receive is null) || (needsSend && existing.Send is null))
                throw new QuicProtocolException(TransportErrorCode.StreamStateError, $"frame 0x{frameType:x} not valid for stream {id}", frameType);
            return existing;
        }
        bool local = ((id & 1) == 0) == IsClient;
        bool bidi = (id & 2) == 0;
        if (needsReceive && local && !bidi)
            throw new QuicProtocolException(TransportErrorCode.StreamStateError, $"frame 0x{frameType:x} for our unidirectional stream {id}", frameType);
        if (needsSend && !local && !bidi)
            throw new QuicProtocolException(TransportErrorCode.StreamStateError, $"frame 0x{frameType:x} for the peer's unidirectional stream {id}", frameType);
        long index = id >> 2;
        if (local)
        {
            long opened = bidi ? _openedBidi : _openedUni;
            if (index >= opened)
                throw new QuicProtocolException(TransportErrorCode.StreamStateError, $"frame 0x{frameType:x} for stream {id} we never opened", frameType);
            return null; // closed and forgotten
        }
        long limit = bidi ? _maxStreamsBidiLocalLimit : _maxStreamsUniLocalLimit;
        if (index >= limit)
            throw new QuicProtocolException(TransportErrorCode.StreamLimitError, $"stream {id} beyond MAX_STREAMS", frameType);
        long peerOpened = bidi ? _peerOpenedBidi : _peerOpenedUni;
        if (index < peerOpened) return null; // closed and forgotten
        StreamState? result = null;
        for (long i = peerOpened; i <= index; i++)
        {
            long newId = (i << 2) | (id & 3);
            result = CreateStream(newId);
            _events.OnStreamOpened(newId);
        }
        if (bidi) _peerOpenedBidi = index + 1;
        else _peerOpenedUni = index + 1;
        return result;
    }

    private void OnStreamFrame(long id, long offset, ReadOnlySpan<byte> data, bool fin)
    {
        var s = GetStreamForPeerFrame(id, needsReceive: true, needsSend: false, 0x08);
        if (s is null || s.Receive is null) return;
        // The buffer enforces MAX_STREAM_DATA and the final size; the connection enforces MAX_DATA.
        long increase = s.Receive.OnData(offset, data, fin);
        AccountReceived(increase);
        if (s.ResetReceived is not null) return;
        if (s.StopSendingCode is not null || s.ReceiveDone)
        {
            // We stopped reading: drop the bytes, keep only the flow control accounting.
            Span<byte> sink = stackalloc byte[1024];
            long dropped = 0;
            int n;
            while ((n = s.Receive.Read(sink)) > 0) dropped += n;
            ReleaseConsumedCredit(s, dropped);
            return;
        }
        if (s.Receive.ReadableBytes > 0 || s.Receive.IsFinished) _events.OnStreamReadable(id);
    }

    private void AccountReceived(long increase)
    {
        _receivedData += increase;
        if (_receivedData > _receiveMaxData) throw new QuicProtocolException(TransportErrorCode.FlowControlError, "data beyond MAX_DATA", 0x08);
    }

    private void OnResetStream(long id, long code, long finalSize)
    {
        var s = GetStreamForPeerFrame(id, needsReceive: true, needsSend: false, 0x04);
        if (s is null || s.Receive is null) return;
        if (s.ResetReceived is not null)
        {
            if (s.Receive.FinalSize != finalSize) throw new QuicProtocolException(TransportErrorCode.FinalSizeError, "RESET_STREAM final size changed", 0x04);
            return;
        }
        long readOffset = s.Receive.ReadOffset;
        AccountReceived(s.Receive.OnReset(finalSize));
        s.ResetReceived = code;
        // Unread bytes will never be read: give their credit back to the connection.
        ReleaseConsumedCredit(s, finalSize - readOffset);
        _events.OnStreamReadable(id);
    }

    private void OnStopSending(long id, long code)
    {
        var s = GetStreamForPeerFrame(id, needsReceive: false, needsSend: true, 0x05);
        if (s is null || s.Send is null) return;
        if (s.StopSendingReceived is not null) return;
        s.StopSendingReceived = code;
        // RFC 9000 section 3.5: answer with RESET_STREAM unless everything was already sent.
        if (s.ResetCode is null && !s.Send.IsAllAcknowledged) ResetSendSide(s, code);
        _events.OnStreamWritable(id);
    }

    private void OnMaxData(long value)
    {
        if (value > _sendMaxData)
        {
            _sendMaxData = value;
            foreach (var s in _streams.Values) QueueForSend(s);
        }
    }

    private void OnMaxStreamData(long id, long value)
    {
        var s = GetStreamForPeerFrame(id, needsReceive: false, needsSend: true, 0x11);
        if (s is null || s.Send is null) return;
        if (value > s.SendLimit)
        {
            s.SendLimit = value;
            QueueForSend(s);
            _events.OnStreamWritable(id);
        }
    }

    private void OnMaxStreams(bool bidi, long value)
    {
        if (value > 1L << 60) throw new QuicProtocolException(TransportErrorCode.FrameEncodingError, "MAX_STREAMS above 2^60", bidi ? 0x12 : 0x13);
        ref long limit = ref bidi ? ref _peerMaxStreamsBidi : ref _peerMaxStreamsUni;
        if (value > limit)
        {
            limit = value;
            _events.OnStreamsAvailable();
        }
    }

    private void OnStreamDataBlocked(long id)
    {
        var s = GetStreamForPeerFrame(id, needsReceive: true, needsSend: false, 0x15);
        if (s is not null) s.MaxStreamDataPending |= s.Receive is not null && s.ResetReceived is null && !s.ReceiveDone;
    }

    /// <summary>Writes application data; returns the bytes accepted (less than asked when the send buffer is full).</summary>
    public int StreamWrite(long id, ReadOnlySpan<byte> data, bool fin)
    {
        if (_state != ConnectionState.Open || !_streams.TryGetValue(id, out var s) || s.Send is null || s.ResetCode is not null || s.Send.IsClosedForWriting) return 0;
        int n = s.Send.Write(data);
        if (fin && n == data.Length) s.Send.Complete();
        if (n > 0 || fin) QueueForSend(s);
        return n;
    }

    /// <summary>Bytes a write could take now on <paramref name="id"/>.</summary>
    public int StreamWritable(long id)
        => _streams.TryGetValue(id, out var s) && s.Send is not null && s.ResetCode is null ? s.Send.AvailableCapacity : 0;

    /// <summary>True when the sending part is finished: all acknowledged, reset, or stopped by the peer.</summary>
    public bool IsStreamSendClosed(long id, out long? errorCode)
    {
        errorCode = null;
        if (!_streams.TryGetValue(id, out var s)) return true;
        if (s.StopSendingReceived is long stop)
        {
            errorCode = stop;
            return true;
        }
        if (s.ResetCode is long reset)
        {
            errorCode = reset;
            return true;
        }
        return s.SendDone;
    }

    /// <summary>Reads contiguous bytes from a stream.</summary>
    public ReadStatus StreamRead(long id, Span<byte> destination, out int bytesRead, out long errorCode)
    {
        bytesRead = 0;
        errorCode = 0;
        if (_state == ConnectionState.Closed || !_streams.TryGetValue(id, out var s) || s.Receive is null) return ReadStatus.Aborted;
        if (s.ResetReceived is long code)
        {
            errorCode = code;
            if (!s.ReceiveDone)
            {
                s.ReceiveDone = true;
                MaybeReleaseStream(s);
            }
            return ReadStatus.Reset;
        }
        if (s.StopSendingCode is not null) return ReadStatus.Aborted;
        bytesRead = s.Receive.Read(destination);
        if (bytesRead > 0)
        {
            ReleaseConsumedCredit(s, bytesRead);
            if (s.Receive.ReadOffset + s.ReceiveWindow / 2 > s.ReceiveLimit && s.Receive.FinalSize is null)
            {
                s.ReceiveLimit = s.Receive.ReadOffset + s.ReceiveWindow;
                s.Receive.Limit = s.ReceiveLimit;
                s.MaxStreamDataPending = true;
                QueueForSend(s);
            }
        }
        if (s.Receive.IsFinished)
        {
            if (!s.ReceiveDone)
            {
                s.ReceiveDone = true;
                MaybeReleaseStream(s);
            }
            return bytesRead > 0 ? ReadStatus.Data : ReadStatus.Finished;
        }
        return ReadStatus.Data;
    }

    /// <summary>Bytes ready to read on <paramref name="id"/>.</summary>
    public long StreamReadable(long id) => _streams.TryGetValue(id, out var s) && s.Receive is not null ? s.Receive.ReadableBytes : 0;

    private void ReleaseConsumedCredit(StreamState s, long bytes)
    {
        _ = s;
        _consumedData += bytes;
        long window = _settings.InitialMaxData;
        if (_consumedData + window / 2 > _receiveMaxData)
        {
            _receiveMaxData = _consumedData + window;
            _maxDataPending = true;
        }
    }

    /// <summary>Aborts the sending part with RESET_STREAM.</summary>
    public void StreamAbortWrite(long id, long errorCode)
    {
        if (_state != ConnectionState.Open || !_streams.TryGetValue(id, out var s) || s.Send is null || s.ResetCode is not null) return;
        if (s.Send.IsAllAcknowledged) return;
        ResetSendSide(s, errorCode);
    }

    /// <summary>Aborts the receiving part with STOP_SENDING.</summary>
    public void StreamAbortRead(long id, long errorCode)
    {
        if (_state != ConnectionState.Open || !_streams.TryGetValue(id, out var s) || s.Receive is null) return;
        if (s.StopSendingCode is not null || s.ReceiveDone) return;
        s.StopSendingCode = errorCode;
        s.ReceiveDone = true;
        if (s.ResetReceived is null && !s.Receive.IsFinished)
        {
            s.StopSendingPending = true;
            QueueForSend(s);
        }
        // Drop what is buffered; its credit goes back to the connection.
        Span<byte> sink = stackalloc byte[1024];
        long dropped = 0;
        int n;
        while ((n = s.Receive.Read(sink)) > 0) dropped += n;
        ReleaseConsumedCredit(s, dropped + s.Receive.HighestReceived - s.Receive.ReadOffset);
        MaybeReleaseStream(s);
    }

    private void ResetSendSide(StreamState s, long code)
    {
        s.ResetCode = code;
        s.ResetPending = true;
        s.ResetFinalSize = s.Send!.Reset();
        QueueForSend(s);
    }

    private void QueueForSend(StreamState s)
    {
        if (s.InSendQueue) return;
        s.InSendQueue = true;
        _sendQueue.Enqueue(s);
    }

    /// <summary>Forgets a stream once both parts are terminal, and gives the peer a new stream credit.</summary>
    private void MaybeReleaseStream(StreamState s)
    {
        if (s.Released) return;
        bool receiveDone = s.Receive is null || s.ReceiveDone;
        if (!receiveDone || !s.SendDone || s.ResetPending || s.StopSendingPending) return;
        s.Released = true;
        _streams.Remove(s.Id);
        s.Dispose();
        if (s.IsLocal) return;
        if (s.IsBidirectional)
        {
            _peerClosedBidi++;
            _maxStreamsBidiLocalLimit = _peerClosedBidi + _settings.MaxInboundBidirectionalStreams;
            _maxStreamsBidiPending = true;
        }
        else
        {
            _peerClosedUni++;
            _maxStreamsUniLocalLimit = _peerClosedUni + _settings.MaxInboundUnidirectionalStreams;
            _maxStreamsUniPending = true;
        }
    }
}
