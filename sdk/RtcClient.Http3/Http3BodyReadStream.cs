using RtcClient.Quic;

namespace RtcClient.Http3;

/// <summary>A message body being received, as a read-only stream; trailers are reported once the body ends.</summary>
internal sealed class Http3BodyReadStream(Http3RequestStream request, Action<List<HeaderField>>? onTrailers, bool ownsRequest) : Stream
{
    private bool _ended;
    private int _disposed;

    public override bool CanRead => true;
    public override bool CanWrite => false;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended)
            return 0;
        int n;
        try
        {
            n = await request.ReadBodyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Http3ProtocolException e) when (e.IsStreamError)
        {
            request.Abort(e.ErrorCode);
            throw new IOException(e.Message, e);
        }
        catch (Http3ProtocolException e)
        {
            await request.Connection.AbortAsync(e.ErrorCode).ConfigureAwait(false);
            throw new IOException(e.Message, e);
        }

        if (n == 0 && buffer.Length > 0)
        {
            _ended = true;
            if (request.Trailers is not null)
                onTrailers?.Invoke(request.Trailers);
        }

        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (!_ended)
        {
            // Not interested in the rest: STOP_SENDING.
            try
            {
                request.Stream.Abort(QuicAbortDirection.Read, (long)Http3ErrorCode.RequestCancelled);
            }
            catch (Exception e) when (e is QuicException or InvalidOperationException or ObjectDisposedException)
            {
            }
        }

        if (ownsRequest)
            await request.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Volatile.Read(ref _disposed) == 0)
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }
}
