using System.Buffers;
using RtcClient.Http3.Frames;
using RtcClient.Http3.Transport;
using RtcClient.Quic;

namespace RtcClient.Http3;

/// <summary>
/// A request stream (RFC 9114 section 4.1) from either side: HEADERS, then DATA, then optional trailing HEADERS.
/// Reads stream the body without buffering it whole; unknown frames are skipped.
/// </summary>
internal sealed class Http3RequestStream : IAsyncDisposable
{
    private readonly Http3Connection _connection;
    private readonly H3StreamReader _reader;
    // Small DATA payloads are copied behind their frame header so that one QUIC write carries both.
    private const int CoalesceLimit = 16 * 1024;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private ArrayBufferWriter<byte>? _frames;
    private long _deadline;          // Environment.TickCount64 (ms) by which the current wait must end; 0: none
    private bool _waitingForHeaders; // what the deadline is for: the request's HEADERS, else a body read
    private long _dataRemaining;
    private bool _bodyDone;
    private long? _contentLength;
    private long _received;
    private int _disposed;

    public Http3RequestStream(Http3Connection connection, IH3Stream stream, H3StreamReader reader)
    {
        _connection = connection;
        Stream = stream;
        _reader = reader;
    }

    public IH3Stream Stream { get; }
    public long StreamId => Stream.Id;
    public Http3Connection Connection => _connection;

    /// <summary>Trailers received after the body, if any.</summary>
    public List<HeaderField>? Trailers { get; private set; }

    /// <summary>True when the peer's GOAWAY says this request was not and will not be processed.</summary>
    public bool RejectedByGoAway { get; private set; }

    internal void OnRejectedByGoAway() => RejectedByGoAway = true;

    /// <summary>How long one body read may wait (server side); zero: no bound.</summary>
    internal TimeSpan BodyTimeout { get; set; }

    /// <summary>True once a body read waited longer than <see cref="BodyTimeout"/> and reading was stopped.</summary>
    public bool BodyStalled { get; private set; }

    /// <summary>Bounds the wait for the request's HEADERS (server side).</summary>
    internal void StartHeadersDeadline(TimeSpan timeout)
    {
        _waitingForHeaders = true;
        Volatile.Write(ref _deadline, Deadline(timeout));
    }

    /// <summary>The HEADERS arrived (or the wait ended otherwise).</summary>
    internal void ClearDeadline() => Volatile.Write(ref _deadline, 0);

    private static long Deadline(TimeSpan timeout)
        => timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan ? 0 : Math.Max(1, Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds));

    /// <summary>
    /// Called periodically (the server's heartbeat): a client that stopped mid-request loses the stream once its
    /// deadline passed. Before HEADERS: reset with H3_REQUEST_REJECTED. During a body read: STOP_SENDING with
    /// H3_REQUEST_CANCELLED, which fails the read; the server then answers 408 if it can.
    /// </summary>
    internal void CheckDeadline(long now)
    {
        long deadline = Volatile.Read(ref _deadline);
        if (deadline == 0 || now < deadline || Interlocked.CompareExchange(ref _deadline, 0, deadline) != deadline)
            return;
        if (_waitingForHeaders)
        {
            Abort(Http3ErrorCode.RequestRejected);
            return;
        }

        BodyStalled = true;
        try
        {
            Stream.Abort(QuicAbortDirection.Read, (long)Http3ErrorCode.RequestCancelled);
        }
        catch (Exception e) when (e is QuicException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    /// <summary>Reads the next HEADERS frame (the header section); FIN first is H3_REQUEST_INCOMPLETE.</summary>
    public async ValueTask<List<HeaderField>> ReadHeadersAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var header = await _reader.ReadFrameHeaderAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new Http3ProtocolException(Http3ErrorCode.RequestIncomplete, "stream ended before HEADERS", isStreamError: true);
            (long type, long length) = header;
            Http3FrameReader.CheckAllowed(type, onControlStream: false);
            switch (type)
            {
                case Http3FrameType.Headers:
                    var fields = await ReadFieldSectionAsync(length, cancellationToken).ConfigureAwait(false);
                    _contentLength ??= Http3MessageValidator.ContentLength(fields);
                    return fields;
                case Http3FrameType.Data:
                    throw new Http3ProtocolException(Http3ErrorCode.FrameUnexpected, "DATA before HEADERS");
                case Http3FrameType.PushPromise:
                    // We never send MAX_PUSH_ID: any push ID is invalid.
                    throw new Http3ProtocolException(_connection.IsClient ? Http3ErrorCode.IdError : Http3ErrorCode.FrameUnexpected, "PUSH_PROMISE without MAX_PUSH_ID");
                default:
                    await _reader.SkipAsync(length, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async ValueTask<List<HeaderField>> ReadFieldSectionAsync(long length, CancellationToken cancellationToken)
    {
        // The encoded section cannot usefully exceed the decoded bound by much: refuse before buffering.
        if (length > _connection.Options.MaxFieldSectionSize + 1024)
            throw new Http3ProtocolException(Http3ErrorCode.ExcessiveLoad, "HEADERS frame larger than SETTINGS_MAX_FIELD_SECTION_SIZE", isStreamError: true);
        var payload = await _reader.ReadExactAsync((int)length, cancellationToken).ConfigureAwait(false);
        return await _connection.DecodeHeadersAsync(StreamId, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads body bytes; 0 at the end of the body (FIN or trailers, which land in <see cref="Trailers"/>).</summary>
    public async ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
            return 0;
        if (BodyTimeout <= TimeSpan.Zero)
            return await ReadBodyCoreAsync(destination, cancellationToken).ConfigureAwait(false);
        _waitingForHeaders = false;
        Volatile.Write(ref _deadline, Deadline(BodyTimeout));
        try
        {
            return await ReadBodyCoreAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _deadline, 0);
        }
    }

    private async ValueTask<int> ReadBodyCoreAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (!_bodyDone)
        {
            if (_dataRemaining > 0)
            {
                int n = await _reader.ReadUpToAsync(destination, _dataRemaining, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    throw new Http3ProtocolException(Http3ErrorCode.FrameError, "stream ended inside a DATA frame");
                _dataRemaining -= n;
                _received += n;
                if (_received > _contentLength)
                    throw new Http3ProtocolException(Http3ErrorCode.MessageError, "body longer than content-length", isStreamError: true);
                return n;
            }

            var header = await _reader.ReadFrameHeaderAsync(cancellationToken).ConfigureAwait(false);
            if (header is null)
            {
                EndBody();
                break;
            }

            (long type, long length) = header.Value;
            Http3FrameReader.CheckAllowed(type, onControlStream: false);
            switch (type)
            {
                case Http3FrameType.Data:
                    _dataRemaining = length;
                    break;
                case Http3FrameType.Headers:
                    var trailers = await ReadFieldSectionAsync(length, cancellationToken).ConfigureAwait(false);
                    Http3MessageValidator.ValidateTrailers(trailers);
                    Trailers = trailers;
                    EndBody();
                    break;
                case Http3FrameType.PushPromise:
                    throw new Http3ProtocolException(_connection.IsClient ? Http3ErrorCode.IdError : Http3ErrorCode.FrameUnexpected, "PUSH_PROMISE without MAX_PUSH_ID");
                default:
                    await _reader.SkipAsync(length, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        return 0;
    }

    private void EndBody()
    {
        _bodyDone = true;
        if (_contentLength is not null && _received != _contentLength)
            throw new Http3ProtocolException(Http3ErrorCode.MessageError, "body length differs from content-length", isStreamError: true);
    }

    /// <summary>Sends a HEADERS frame (a header section or trailers).</summary>
    public ValueTask WriteHeadersAsync(IReadOnlyList<HeaderField> fields, bool endStream, CancellationToken cancellationToken)
        => WriteHeadersAndDataAsync(fields, ReadOnlyMemory<byte>.Empty, endStream, cancellationToken);

    /// <summary>Sends a HEADERS frame followed by one DATA frame (when <paramref name="data"/> is not empty), in one write when small.</summary>
    public async ValueTask WriteHeadersAndDataAsync(IReadOnlyList<HeaderField> fields, ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var frames = Frames();
            await _connection.EncodeHeadersFrameAsync(StreamId, fields, frames).ConfigureAwait(false);
            await WriteFramedDataAsync(frames, data, endStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Sends one DATA frame.</summary>
    public async ValueTask WriteDataAsync(ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken)
    {
        if (data.IsEmpty && !endStream)
            return;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteFramedDataAsync(Frames(), data, endStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // Writes what is in frames, then data as a DATA frame (copied behind the frames when small); under the write gate.
    private async ValueTask WriteFramedDataAsync(ArrayBufferWriter<byte> frames, ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken)
    {
        if (!data.IsEmpty)
        {
            Http3FrameWriter.WriteHeader(frames, Http3FrameType.Data, data.Length);
            if (data.Length <= CoalesceLimit)
            {
                frames.Write(data.Span);
                data = ReadOnlyMemory<byte>.Empty;
            }
        }

        if (data.IsEmpty)
        {
            await Stream.WriteAsync(frames.WrittenMemory, endStream, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Stream.WriteAsync(frames.WrittenMemory, false, cancellationToken).ConfigureAwait(false);
            await Stream.WriteAsync(data, endStream, cancellationToken).ConfigureAwait(false);
        }
    }

    private ArrayBufferWriter<byte> Frames()
    {
        var frames = _frames ??= _connection.RentFrameBuffer();
        frames.ResetWrittenCount();
        return frames;
    }

    /// <summary>Sends raw bytes (already framed) on the stream.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, bool endStream, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Stream.WriteAsync(bytes, endStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Sends FIN.</summary>
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => WriteAsync(ReadOnlyMemory<byte>.Empty, true, cancellationToken);

    /// <summary>Resets both directions with an error code.</summary>
    public void Abort(Http3ErrorCode code) => Abort((long)code);

    /// <summary>Resets both directions with an application error code.</summary>
    public void Abort(long code)
    {
        try
        {
            Stream.Abort(QuicAbortDirection.Both, code);
        }
        catch (Exception e) when (e is QuicException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _connection.Untrack(this);
        _reader.Dispose();
        if (_frames is { } frames)
        {
            _frames = null;
            // Not while a write may still use it: a disposal racing a write leaves the buffer to the GC.
            if (_writeGate.Wait(0))
            {
                _connection.ReturnFrameBuffer(frames);
                _writeGate.Release();
            }
        }

        await Stream.DisposeAsync().ConfigureAwait(false);
    }
}
