using System.Buffers;
using System.Collections.Concurrent;
using RtcClient.Http3.Capsules;
using RtcClient.Http3.Frames;
using RtcClient.Http3.Qpack;
using RtcClient.Http3.Transport;
using RtcClient.Http3.WebTransport;
using RtcClient.Quic;

namespace RtcClient.Http3;

/// <summary>
/// One HTTP/3 connection, either side (RFC 9114 section 6): the control and QPACK streams, SETTINGS, GOAWAY,
/// dispatch of the peer's streams, HTTP datagrams and WebTransport sessions. Request handling is left to the client
/// and server types built on it.
/// </summary>
internal sealed class Http3Connection : IAsyncDisposable
{
    private readonly IH3Transport _transport;
    private readonly Http3Options _options;
    private readonly Func<Http3RequestStream, Task>? _onRequest;
    private readonly TaskCompletionSource<Http3Settings> _peerSettings = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _encoderLock = new();
    private readonly QpackInstructionWriter _encoderWriter;
    private readonly ArrayBufferWriter<byte> _section = new(256);
    private readonly ConcurrentQueue<ArrayBufferWriter<byte>> _frameBuffers = new();
    private readonly SemaphoreSlim _controlGate = new(1, 1);
    private readonly CancellationTokenSource _cts = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<WebTransportSession>> _sessions = new();
    private readonly ConcurrentDictionary<long, Http3RequestStream> _active = new();
    private readonly EarlyDatagramBuffer _early;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly QpackDecoder _decoder;
    private readonly QpackDecoderStreamWriter _decoderWriter;
    private QpackEncoder _encoder = new(0, 0);
    private IH3Stream? _control;
    private int _peerControl;
    private int _peerEncoder;
    private int _peerDecoder;
    private long _goAwayReceived = long.MaxValue;
    private long _goAwaySent = long.MaxValue;
    private long _maxRequestStreamId = -1;
    private int _closed;

    public Http3Connection(IH3Transport transport, Http3Options options, Func<Http3RequestStream, Task>? onRequest)
    {
        _transport = transport;
        _options = options;
        _onRequest = onRequest;
        _decoder = new QpackDecoder(options.QpackMaxTableCapacity, options.QpackBlockedStreams, options.MaxFieldSectionSize);
        _decoderWriter = new QpackDecoderStreamWriter(_decoder);
        _encoderWriter = new QpackInstructionWriter(_encoderLock, TakeEncoderInstructions);
        _early = new EarlyDatagramBuffer(options.EarlyDatagramLimit, 64 * 1024);
    }

    public IH3Transport Transport => _transport;
    internal QpackDecoder Decoder => _decoder;
    public Http3Options Options => _options;
    public bool IsClient => _transport.IsClient;
    public CancellationToken Closing => _cts.Token;

    /// <summary>The peer's SETTINGS once received.</summary>
    public Task<Http3Settings> PeerSettings => _peerSettings.Task;

    /// <summary>True once GOAWAY was sent or received: no new requests.</summary>
    public bool IsGoingAway => Interlocked.Read(ref _goAwayReceived) != long.MaxValue || Interlocked.Read(ref _goAwaySent) != long.MaxValue;

    /// <summary>The stream ID limit from the peer's GOAWAY (long.MaxValue when none).</summary>
    public long GoAwayReceived => Interlocked.Read(ref _goAwayReceived);

    /// <summary>The error code the connection was closed with by us, when we closed it.</summary>
    public Http3ErrorCode? LocalCloseCode { get; private set; }

    /// <summary>Opens the control and QPACK streams, sends SETTINGS (and GREASE), and starts reading the peer.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _control = await OpenUniAsync(Http3StreamType.Control, cancellationToken).ConfigureAwait(false);
        var w = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteVarInt(w, Http3StreamType.Control);
        LocalSettings().WriteFrame(w);
        if (_options.SendGrease)
            Http3FrameWriter.WriteFrame(w, Http3FrameType.Grease(Random.Shared.Next(1, 1000)), "grease"u8);
        await _control.WriteAsync(w.WrittenMemory, false, cancellationToken).ConfigureAwait(false);
        var encoderStream = await OpenUniAsync(Http3StreamType.QpackEncoder, cancellationToken).ConfigureAwait(false);
        await _encoderWriter.AttachAsync(encoderStream, cancellationToken).ConfigureAwait(false);
        var decoderStream = await OpenUniAsync(Http3StreamType.QpackDecoder, cancellationToken).ConfigureAwait(false);
        await _decoderWriter.AttachAsync(decoderStream, cancellationToken).ConfigureAwait(false);
        if (_options.SendGrease)
            _ = Task.Run(SendGreaseStreamAsync, CancellationToken.None);

        _ = Task.Run(AcceptLoopAsync, CancellationToken.None);
        if (_options.EnableDatagrams)
            _ = Task.Run(DatagramLoopAsync, CancellationToken.None);
    }

    // A reserved stream type the peer must ignore (RFC 9114 section 6.2.3). Best effort, in the background: a peer
    // that allows only the three critical unidirectional streams (ngtcp2's examples) never grants a fourth.
    private async Task SendGreaseStreamAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            var g = await _transport.OpenStreamAsync(false, timeout.Token).ConfigureAwait(false);
            var gw = new ArrayBufferWriter<byte>();
            Http3FrameWriter.WriteVarInt(gw, Http3FrameType.Grease(Random.Shared.Next(1, 1000)));
            gw.Write("grease"u8);
            await g.WriteAsync(gw.WrittenMemory, true, timeout.Token).ConfigureAwait(false);
            await g.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private Http3Settings LocalSettings()
    {
        var s = new Http3Settings
        {
            QpackMaxTableCapacity = _options.QpackMaxTableCapacity,
            QpackBlockedStreams = _options.QpackBlockedStreams,
            MaxFieldSectionSize = _options.MaxFieldSectionSize,
            H3Datagram = _options.EnableDatagrams,
            EnableConnectProtocol = !IsClient && _options.EnableWebTransport,
            WebTransportCurrent = _options.EnableWebTransport,
        };
        if (_options.EnableWebTransport)
        {
            s.AddRaw(Http3SettingId.EnableWebTransportDraft02, 1);
            if (_options.EnableDatagrams)
                s.AddRaw(Http3SettingId.H3DatagramDraft04, 1);
            s.AddRaw(Http3SettingId.WtMaxSessions, _options.MaxWebTransportSessions);
        }

        if (_options.SendGrease)
            s.AddRaw(Http3FrameType.Grease(Random.Shared.Next(1, 1000)), Random.Shared.Next(0, 1 << 20));
        return s;
    }

    private async ValueTask<IH3Stream> OpenUniAsync(long type, CancellationToken cancellationToken)
    {
        var s = await _transport.OpenStreamAsync(false, cancellationToken).ConfigureAwait(false);
        if (type != Http3StreamType.Control)
        {
            var w = new ArrayBufferWriter<byte>();
            Http3FrameWriter.WriteVarInt(w, type);
            await s.WriteAsync(w.WrittenMemory, false, cancellationToken).ConfigureAwait(false);
        }

        return s;
    }

    // ---- header encoding / decoding -------------------------------------------------------------------------

    /// <summary>
    /// Encodes a field section as a HEADERS frame into <paramref name="output"/>. Encoder instructions the section
    /// produced are sent on the encoder stream (the returned task); the frame may go out before them, since the
    /// encoder only references unacknowledged entries on streams allowed to block.
    /// </summary>
    public ValueTask EncodeHeadersFrameAsync(long streamId, IReadOnlyList<HeaderField> fields, IBufferWriter<byte> output)
    {
        bool instructions;
        lock (_encoderLock)
        {
            _section.ResetWrittenCount();
            _encoder.EncodeFieldSection(streamId, AsSpan(fields), _section);
            Http3FrameWriter.WriteFrame(output, Http3FrameType.Headers, _section.WrittenSpan);
            instructions = !_encoder.EncoderStream.IsEmpty;
        }

        // Not the request's token: a cancelled write would cut an instruction in half on a critical stream.
        return instructions ? _encoderWriter.FlushAsync(_cts.Token) : ValueTask.CompletedTask;
    }

    private static ReadOnlySpan<HeaderField> AsSpan(IReadOnlyList<HeaderField> fields) => fields switch
    {
        HeaderField[] array => array,
        List<HeaderField> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
        _ => fields.ToArray(),
    };

    private void TakeEncoderInstructions(ArrayBufferWriter<byte> output)
    {
        output.Write(_encoder.EncoderStream);
        _encoder.ClearEncoderStream();
    }

    /// <summary>A reusable buffer for a request stream's frames (returned with <see cref="ReturnFrameBuffer"/>).</summary>
    internal ArrayBufferWriter<byte> RentFrameBuffer() => _frameBuffers.TryDequeue(out var b) ? b : new ArrayBufferWriter<byte>(1024);

    internal void ReturnFrameBuffer(ArrayBufferWriter<byte> buffer)
    {
        // Bounded: a burst of large frames does not stay pinned.
        if (buffer.Capacity <= 32 * 1024 && _frameBuffers.Count < 256)
        {
            buffer.ResetWrittenCount();
            _frameBuffers.Enqueue(buffer);
        }
    }

    /// <summary>Decodes a HEADERS payload, waiting while it is blocked on the encoder stream; acknowledges it.</summary>
    public async ValueTask<List<HeaderField>> DecodeHeadersAsync(long streamId, ReadOnlyMemory<byte> section, CancellationToken cancellationToken)
    {
        var list = new List<HeaderField>();
        long ric = _decoder.DecodeFieldSection(section.Span, list);
        if (ric < 0)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cts.Token);
            await _decoder.WaitForInsertCountAsync(_decoder.PeekRequiredInsertCount(section.Span), linked.Token).ConfigureAwait(false);
            ric = _decoder.DecodeFieldSection(section.Span, list);
        }

        if (ric > 0)
            _decoderWriter.SectionDecoded(streamId, ric, _cts.Token);

        return list;
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    /// <summary>Opens a request stream (client).</summary>
    public async ValueTask<Http3RequestStream> OpenRequestStreamAsync(CancellationToken cancellationToken)
    {
        if (IsGoingAway)
            throw new Http3ProtocolException(Http3ErrorCode.RequestRejected, "the connection is going away", isStreamError: true);
        var s = await _transport.OpenStreamAsync(true, cancellationToken).ConfigureAwait(false);
        var r = new Http3RequestStream(this, s, new H3StreamReader(s));
        Track(r);
        return r;
    }

    internal void Track(Http3RequestStream r) => _active[r.StreamId] = r;

    /// <summary>Request streams (and CONNECT streams of sessions) not yet disposed.</summary>
    internal IEnumerable<Http3RequestStream> ActiveRequestStreams => _active.Values;

    internal void Untrack(Http3RequestStream r)
    {
        _active.TryRemove(r.StreamId, out _);
        if (_active.IsEmpty && IsGoingAway)
            _drained.TrySetResult();
    }

    // ---- WebTransport -----------------------------------------------------------------------------------------

    /// <summary>Registers a session (both sides) so its streams and datagrams are routed to it.</summary>
    public bool RegisterSession(WebTransportSession session)
    {
        if (_sessions.Count(kv => kv.Value.Task.IsCompletedSuccessfully && !kv.Value.Task.Result.IsClosed) >= _options.MaxWebTransportSessions)
            return false;
        List<byte[]>? early;
        lock (_early)
        {
            _sessions.GetOrAdd(session.SessionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(session);
            early = _early.TakeFor(session.SessionId);
        }
        if (early is not null)
        {
            foreach (var d in early)
                session.DeliverDatagram(d);
        }
        return true;
    }

    /// <summary>Datagrams waiting for their session to be established.</summary>
    public int EarlyDatagramsWaiting
    {
        get
        {
            lock (_early)
                return _early.Count;
        }
    }

    public void UnregisterSession(long sessionId) => _sessions.TryRemove(sessionId, out _);

    /// <summary>The registered session with this ID, if any.</summary>
    public WebTransportSession? TryGetSession(long sessionId)
        => _sessions.TryGetValue(sessionId, out var tcs) && tcs.Task.IsCompletedSuccessfully ? tcs.Task.Result : null;

    private async Task<WebTransportSession?> FindSessionAsync(long sessionId)
    {
        // A stream may arrive before the CONNECT response was processed: wait briefly (bounded).
        if (sessionId % 4 != 0 || _sessions.Count > _options.MaxWebTransportSessions * 4)
            return null;
        var tcs = _sessions.GetOrAdd(sessionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(5), _cts.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _sessions.TryRemove(new KeyValuePair<long, TaskCompletionSource<WebTransportSession>>(sessionId, tcs));
            return null;
        }
    }

    /// <summary>Sends an HTTP datagram for a request stream.</summary>
    public bool SendDatagram(long streamId, ReadOnlySpan<byte> payload)
    {
        int prefix = HttpDatagram.GetPrefixLength(streamId);
        byte[]? rented = null;
        Span<byte> buf = prefix + payload.Length <= 1500 ? stackalloc byte[prefix + payload.Length] : (rented = ArrayPool<byte>.Shared.Rent(prefix + payload.Length));
        try
        {
            HttpDatagram.WritePrefix(buf, streamId);
            payload.CopyTo(buf[prefix..]);
            return _transport.SendDatagram(buf[..(prefix + payload.Length)]);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private async Task DatagramLoopAsync()
    {
        byte[] buffer = new byte[65536];
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                int n = await _transport.ReadDatagramAsync(buffer, _cts.Token).ConfigureAwait(false);
                long streamId = HttpDatagram.Parse(buffer.AsSpan(0, n), out var payload);
                if (TryGetSession(streamId) is { } session)
                {
                    session.DeliverDatagram(payload);
                    continue;
                }
                // Only a client-initiated bidirectional stream can carry a session (RFC 9297 section 2.1 lets the
                // rest be dropped); on a server, one not accepted yet keeps its datagrams until it is (EarlyDatagramBuffer).
                if (streamId % 4 != 0 || !_options.EnableWebTransport || IsClient)
                    continue;
                WebTransportSession? registered;
                lock (_early)
                {
                    // Looked up again under the lock RegisterSession takes, so a session registered meanwhile is not missed.
                    registered = TryGetSession(streamId);
                    if (registered is null)
                        _early.Add(streamId, payload);
                }
                registered?.DeliverDatagram(payload);
            }
        }
        catch (Http3ProtocolException e)
        {
            await AbortAsync(e.ErrorCode).ConfigureAwait(false);
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    // ---- accepting the peer's streams -------------------------------------------------------------------------

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                IH3Stream s = await _transport.AcceptStreamAsync(_cts.Token).ConfigureAwait(false);
                _ = Task.Run(() => HandleStreamAsync(s));
            }
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _cts.Cancel();
            foreach (var tcs in _sessions.Values)
            {
                if (tcs.Task.IsCompletedSuccessfully)
                    tcs.Task.Result.OnConnectionClosed();
            }

            _peerSettings.TrySetException(new Http3ProtocolException(Http3ErrorCode.MissingSettings, "connection closed before SETTINGS"));
            _drained.TrySetResult();
        }
    }

    private async Task HandleStreamAsync(IH3Stream s)
    {
        var reader = new H3StreamReader(s);
        bool keep = false;
        try
        {
            if (s.IsBidirectional)
            {
                keep = await HandleBidiAsync(s, reader).ConfigureAwait(false);
                return;
            }

            long? type = await reader.ReadVarIntAsync(_cts.Token).ConfigureAwait(false);
            if (type is null)
                return;
            switch (type.Value)
            {
                case Http3StreamType.Control:
                    Critical(ref _peerControl, "control");
                    await ReadControlStreamAsync(reader).ConfigureAwait(false);
                    break;
                case Http3StreamType.QpackEncoder:
                    Critical(ref _peerEncoder, "QPACK encoder");
                    await ReadEncoderStreamAsync(reader).ConfigureAwait(false);
                    break;
                case Http3StreamType.QpackDecoder:
                    Critical(ref _peerDecoder, "QPACK decoder");
                    await ReadDecoderStreamAsync(reader).ConfigureAwait(false);
                    break;
                case Http3StreamType.Push:
                    // We never send MAX_PUSH_ID, so no push ID is valid; servers must not receive push streams.
                    throw new Http3ProtocolException(IsClient ? Http3ErrorCode.IdError : Http3ErrorCode.StreamCreationError, "push stream without MAX_PUSH_ID");
                case Http3StreamType.WebTransport:
                    keep = await HandleWebTransportStreamAsync(s, reader).ConfigureAwait(false);
                    break;
                default:
                    // Unknown and GREASE stream types are ignored (RFC 9114 section 6.2).
                    s.Abort(QuicAbortDirection.Read, (long)Http3ErrorCode.StreamCreationError);
                    break;
            }
        }
        catch (Http3ProtocolException e) when (e.IsStreamError)
        {
            s.Abort(QuicAbortDirection.Both, (long)e.ErrorCode);
        }
        catch (Http3ProtocolException e)
        {
            await AbortAsync(e.ErrorCode).ConfigureAwait(false);
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            if (!keep)
                reader.Dispose();
        }
    }

    private static void Critical(ref int seen, string what)
    {
        if (Interlocked.Exchange(ref seen, 1) != 0)
            throw new Http3ProtocolException(Http3ErrorCode.StreamCreationError, $"second {what} stream");
    }

    private async Task<bool> HandleBidiAsync(IH3Stream s, H3StreamReader reader)
    {
        // Server-initiated bidirectional streams exist only for WebTransport (0x41 signal).
        bool clientInitiated = (s.Id & 1) == 0;
        if (IsClient == clientInitiated)
            throw new Http3ProtocolException(Http3ErrorCode.StreamCreationError, "bidirectional stream of the wrong initiator");

        if (IsClient)
        {
            long? signal = await reader.ReadVarIntAsync(_cts.Token).ConfigureAwait(false);
            if (signal != Http3FrameType.WebTransportStream)
                throw new Http3ProtocolException(Http3ErrorCode.StreamCreationError, "server-initiated bidirectional stream that is not WebTransport");
            return await HandleWebTransportStreamAsync(s, reader).ConfigureAwait(false);
        }

        if (await reader.PeekVarIntAsync(_cts.Token).ConfigureAwait(false) == Http3FrameType.WebTransportStream)
        {
            await reader.ReadVarIntAsync(_cts.Token).ConfigureAwait(false);
            return await HandleWebTransportStreamAsync(s, reader).ConfigureAwait(false);
        }

        if (s.Id >= Interlocked.Read(ref _goAwaySent) || _onRequest is null)
        {
            s.Abort(QuicAbortDirection.Both, (long)Http3ErrorCode.RequestRejected);
            return false;
        }

        InterlockedMax(ref _maxRequestStreamId, s.Id);
        var request = new Http3RequestStream(this, s, reader);
        Track(request);
        await _onRequest(request).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> HandleWebTransportStreamAsync(IH3Stream s, H3StreamReader reader)
    {
        long? sessionId = await reader.ReadVarIntAsync(_cts.Token).ConfigureAwait(false);
        if (sessionId is null)
            return false;
        var session = await FindSessionAsync(sessionId.Value).ConfigureAwait(false);
        if (session is null || session.IsClosed)
        {
            s.Abort(s.IsBidirectional ? QuicAbortDirection.Both : QuicAbortDirection.Read, (long)Http3ErrorCode.WebTransportBufferedStreamRejected);
            return false;
        }

        session.DeliverStream(new WebTransportStream(s, reader, session));
        return true;
    }

    private async Task ReadControlStreamAsync(H3StreamReader reader)
    {
        bool first = true;
        while (true)
        {
            var header = await reader.ReadFrameHeaderAsync(_cts.Token).ConfigureAwait(false)
                ?? throw new Http3ProtocolException(Http3ErrorCode.ClosedCriticalStream, "control stream closed");
            (long type, long length) = header;
            if (first && type != Http3FrameType.Settings)
                throw new Http3ProtocolException(Http3ErrorCode.MissingSettings, "first control frame is not SETTINGS");
            Http3FrameReader.CheckAllowed(type, onControlStream: true);
            if (type is Http3FrameType.Settings or Http3FrameType.GoAway or Http3FrameType.MaxPushId or Http3FrameType.CancelPush)
            {
                if (length > 16 * 1024)
                    throw new Http3ProtocolException(Http3ErrorCode.ExcessiveLoad, "control frame too large");
                var payload = await reader.ReadExactAsync((int)length, _cts.Token).ConfigureAwait(false);
                switch (type)
                {
                    case Http3FrameType.Settings when first:
                        await ApplyPeerSettingsAsync(Http3Settings.Parse(payload.Span)).ConfigureAwait(false);
                        break;
                    case Http3FrameType.Settings:
                        throw new Http3ProtocolException(Http3ErrorCode.FrameUnexpected, "second SETTINGS frame");
                    case Http3FrameType.GoAway:
                        OnGoAway(Http3FrameReader.ReadVarIntPayload(payload.Span));
                        break;
                    case Http3FrameType.MaxPushId when IsClient:
                        throw new Http3ProtocolException(Http3ErrorCode.FrameUnexpected, "MAX_PUSH_ID sent by a server");
                    default:
                        // MAX_PUSH_ID (we never push) and CANCEL_PUSH (we never allow push): validated and ignored.
                        Http3FrameReader.ReadVarIntPayload(payload.Span);
                        break;
                }
            }
            else
            {
                await reader.SkipAsync(length, _cts.Token).ConfigureAwait(false);
            }

            first = false;
        }
    }

    private async Task ApplyPeerSettingsAsync(Http3Settings settings)
    {
        long capacity = Math.Min(settings.QpackMaxTableCapacity, _options.EncoderTableCapacity);
        if (capacity > 0)
        {
            lock (_encoderLock)
            {
                var e = new QpackEncoder(settings.QpackMaxTableCapacity, settings.QpackBlockedStreams);
                e.SetDynamicTableCapacity(capacity);
                _encoder = e;
            }

            await _encoderWriter.FlushAsync(_cts.Token).ConfigureAwait(false);
        }

        _peerSettings.TrySetResult(settings);
    }

    private void OnGoAway(long id)
    {
        if (IsClient && id % 4 != 0)
            throw new Http3ProtocolException(Http3ErrorCode.IdError, "GOAWAY with a stream ID that is not client bidirectional");
        long previous = Interlocked.Read(ref _goAwayReceived);
        if (id > previous)
            throw new Http3ProtocolException(Http3ErrorCode.IdError, "GOAWAY ID increased");
        Interlocked.Exchange(ref _goAwayReceived, id);
        foreach (var r in _active.Values)
        {
            if (IsClient && r.StreamId >= id)
                r.OnRejectedByGoAway();
        }

        if (_active.IsEmpty)
            _drained.TrySetResult();
    }

    private async Task ReadEncoderStreamAsync(H3StreamReader reader)
    {
        byte[] pending = new byte[8192];
        int have = 0;
        while (true)
        {
            if (have == pending.Length)
            {
                if (pending.Length >= 1 << 20)
                    throw new Http3ProtocolException(Http3ErrorCode.QpackEncoderStreamError, "encoder instruction too large");
                Array.Resize(ref pending, pending.Length * 2);
            }

            int n = await reader.ReadUpToAsync(pending.AsMemory(have), long.MaxValue, _cts.Token).ConfigureAwait(false);
            if (n == 0)
                throw new Http3ProtocolException(Http3ErrorCode.ClosedCriticalStream, "QPACK encoder stream closed");
            have += n;
            int used = _decoder.ProcessEncoderInstructions(pending.AsSpan(0, have));
            Buffer.BlockCopy(pending, used, pending, 0, have - used);
            have -= used;
            await _decoderWriter.TableGrewAsync(_cts.Token).ConfigureAwait(false);
        }
    }

    private async Task ReadDecoderStreamAsync(H3StreamReader reader)
    {
        byte[] pending = new byte[1024];
        int have = 0;
        while (true)
        {
            if (have == pending.Length)
                throw new Http3ProtocolException(Http3ErrorCode.QpackDecoderStreamError, "decoder instruction too large");
            int n = await reader.ReadUpToAsync(pending.AsMemory(have), long.MaxValue, _cts.Token).ConfigureAwait(false);
            if (n == 0)
                throw new Http3ProtocolException(Http3ErrorCode.ClosedCriticalStream, "QPACK decoder stream closed");
            have += n;
            int used;
            lock (_encoderLock)
                used = _encoder.ProcessDecoderInstructions(pending.AsSpan(0, have));

            Buffer.BlockCopy(pending, used, pending, 0, have - used);
            have -= used;
        }
    }

    // ---- shutdown ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Graceful shutdown (RFC 9114 section 5.2): sends GOAWAY, lets requests in flight finish (bounded by the token),
    /// then closes with H3_NO_ERROR.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        // A server names the first request stream it will not process; a client names push ID 0 (no pushes).
        long id = IsClient ? 0 : Interlocked.Read(ref _maxRequestStreamId) + 4;
        if (!IsClient && id < 0)
            id = 0;
        Interlocked.Exchange(ref _goAwaySent, id);
        await SendGoAwayAsync(id, cancellationToken).ConfigureAwait(false);
        if (_active.IsEmpty)
            _drained.TrySetResult();
        try
        {
            await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await CloseAsync(Http3ErrorCode.NoError).ConfigureAwait(false);
    }

    private async Task SendGoAwayAsync(long id, CancellationToken cancellationToken)
    {
        if (_control is null)
            return;
        var w = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteVarIntFrame(w, Http3FrameType.GoAway, id);
        await _controlGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _control.WriteAsync(w.WrittenMemory, false, cancellationToken).ConfigureAwait(false);
        }
        catch (QuicException)
        {
        }
        finally
        {
            _controlGate.Release();
        }
    }

    /// <summary>Closes the connection with an error (a connection error found locally).</summary>
    public Task AbortAsync(Http3ErrorCode code) => CloseAsync(code);

    public async Task CloseAsync(Http3ErrorCode code)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        LocalCloseCode = code;
        _cts.Cancel();
        try
        {
            await _transport.CloseAsync((long)code, CancellationToken.None).ConfigureAwait(false);
        }
        catch (QuicException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(Http3ErrorCode.NoError).ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        _cts.Dispose();
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
