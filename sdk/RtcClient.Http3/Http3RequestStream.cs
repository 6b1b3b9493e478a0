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
    private readonly SemaphoreSlim _writeGate = new(1, 1);
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
    public async ValueTask WriteHeadersAsync(IReadOnlyList<HeaderField> fields, bool endStream, CancellationToken cancellationToken)
    {
        byte[] frame = await _connection.EncodeHeadersFrameAsync(StreamId, fields, cancellationToken).ConfigureAwait(false);
        await WriteAsync(frame, endStream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one DATA frame.</summary>
    public async ValueTask WriteDataAsync(ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            if (endStream)
                await WriteAsync(ReadOnlyMemory<byte>.Empty, true, cancellationToken).ConfigureAwait(false);
            return;
        }

        byte[] header = new byte[16];
        int h = Http3FrameWriter.WriteHeader(header, Http3FrameType.Data, data.Length);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Stream.WriteAsync(header.AsMemory(0, h), false, cancellationToken).ConfigureAwait(false);
            await Stream.WriteAsync(data, endStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
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
        await Stream.DisposeAsync().ConfigureAwait(false);
    }
}
