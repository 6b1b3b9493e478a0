namespace RtcClient.Tests.Support;

/// <summary>
/// An HTTP handler whose event streams (text/event-stream responses) a test can cut and hold back, while
/// other requests pass: a client that misses events and reconnects later, deterministically.
/// </summary>
internal sealed class GatedEventStreams() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly Lock _gate = new();
    private readonly List<CuttableStream> _open = [];
    private TaskCompletionSource _opened = NewOpen();

    /// <summary>Event streams requested so far.</summary>
    public int Requested { get; private set; }

    /// <summary>Ends every open event stream (the reader sees an I/O error) and holds new ones back until <see cref="Release"/>.</summary>
    public void CutAndHold()
    {
        lock (_gate)
        {
            _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var stream in _open) stream.Cut();
            _open.Clear();
        }
    }

    /// <summary>Lets held and new event streams through.</summary>
    public void Release()
    {
        lock (_gate) _opened.TrySetResult();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Accept.Any(a => a.MediaType == "text/event-stream"))
            return await base.SendAsync(request, cancellationToken);
        Task open;
        lock (_gate)
        {
            Requested++;
            open = _opened.Task;
        }
        await open.WaitAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var stream = new CuttableStream(await response.Content.ReadAsStreamAsync(cancellationToken));
        lock (_gate) _open.Add(stream);
        var content = new StreamContent(stream);
        foreach (var header in response.Content.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = content;
        return response;
    }

    private static TaskCompletionSource NewOpen()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private sealed class CuttableStream(Stream inner) : Stream
    {
        private readonly CancellationTokenSource _cut = new();

        public void Cut() => _cut.Cancel();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cut.Token);
            try
            {
                return await inner.ReadAsync(buffer, both.Token);
            }
            catch (OperationCanceledException) when (_cut.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new IOException("event stream cut (test)");
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                _cut.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
