namespace RtcClient.Http3;

/// <summary>
/// A message body being sent, as a write-only stream: every write is one DATA frame. For a server's response the
/// writes go through its <see cref="Http3RequestContext"/>, which sends the headers with the first bytes and the FIN
/// with the last ones when a content-length says which they are.
/// </summary>
internal sealed class Http3BodyWriteStream(Http3RequestStream request, Http3RequestContext? response) : Stream
{
    public override bool CanRead => false;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (response is not null)
            return response.WriteBodyAsync(buffer, cancellationToken);
        return buffer.IsEmpty ? ValueTask.CompletedTask : request.WriteDataAsync(buffer, false, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Sends a response's headers if they have not gone out yet; DATA frames are never held back.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken)
        => response is { HasStarted: false } ? response.SendHeadersAsync(false, cancellationToken) : Task.CompletedTask;

    public override void Flush() => FlushAsync(default).GetAwaiter().GetResult();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
