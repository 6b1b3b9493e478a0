namespace RtcClient.Http3;

/// <summary>
/// A message body being sent, as a write-only stream: every write is one DATA frame. <paramref name="firstWrite"/>
/// (a response's headers) takes the first write's bytes, so headers and the first DATA frame go out together.
/// </summary>
internal sealed class Http3BodyWriteStream(Http3RequestStream request, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask>? firstWrite) : Stream
{
    private Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask>? _first = firstWrite;

    public override bool CanRead => false;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_first is not null)
        {
            var first = _first;
            _first = null;
            await first(buffer, cancellationToken).ConfigureAwait(false);
        }
        else if (!buffer.IsEmpty)
        {
            await request.WriteDataAsync(buffer, false, cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken)
        => _first is null ? Task.CompletedTask : WriteAsync(ReadOnlyMemory<byte>.Empty, cancellationToken).AsTask();

    public override void Flush() => FlushAsync(default).GetAwaiter().GetResult();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
