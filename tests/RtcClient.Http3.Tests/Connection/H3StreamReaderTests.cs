using System.Buffers;
using RtcClient.Http3.Transport;
using RtcClient.Quic;

namespace RtcClient.Http3.Tests.Connection;

/// <summary>The stream reader's pooled buffer goes back to the pool only when no read can still write into it.</summary>
public class H3StreamReaderTests
{
    [Test]
    public async Task DisposedWhileAReadIsInFlight_TheBufferIsReturnedAfterThatRead()
    {
        var stream = new PendingReadStream();
        var reader = new H3StreamReader(stream);
        var read = reader.ReadVarIntAsync(CancellationToken.None).AsTask();
        Assert.That(stream.Pending, Is.Not.Null, "the reader is waiting in the stream's read");
        reader.Dispose();

        // Had the buffer gone back at Dispose, this thread's next rent of that size would get it.
        byte[] other = ArrayPool<byte>.Shared.Rent(4096);
        Array.Clear(other);
        stream.Complete(0xff);
        Assert.ThrowsAsync<ObjectDisposedException>(async () => await read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(other, Has.All.EqualTo((byte)0), "the late read wrote into an array someone else rented");
        ArrayPool<byte>.Shared.Return(other);
    }

    /// <summary>A stream whose read stays pending until the test fills the caller's buffer.</summary>
    private sealed class PendingReadStream : IH3Stream
    {
        private TaskCompletionSource<int>? _read;
        private Memory<byte> _destination;

        public TaskCompletionSource<int>? Pending => _read;
        public long Id => 0;
        public bool IsBidirectional => true;

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            _destination = buffer;
            _read = new TaskCompletionSource<int>();
            return new ValueTask<int>(_read.Task);
        }

        public void Complete(byte value)
        {
            _destination.Span.Fill(value);
            _read!.SetResult(_destination.Length);
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, bool completeWrites, CancellationToken cancellationToken) => ValueTask.CompletedTask;
        public void CompleteWrites() { }
        public void Abort(QuicAbortDirection direction, long errorCode) { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
