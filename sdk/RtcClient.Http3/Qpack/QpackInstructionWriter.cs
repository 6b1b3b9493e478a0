using System.Buffers;
using RtcClient.Http3.Transport;

namespace RtcClient.Http3.Qpack;

/// <summary>
/// A QPACK encoder or decoder stream (RFC 9204 section 4.2) written by one caller at a time. Instructions are built
/// under <see cref="Gate"/>, the same lock that changed the state they describe, at the moment they are written, so
/// their order on the wire is the order in which that state changed. Whatever is produced while a write is in
/// flight goes out together in the next write; a caller that finds a write in flight leaves it to that writer.
/// </summary>
internal sealed class QpackInstructionWriter(Lock gate, Action<ArrayBufferWriter<byte>> build)
{
    private readonly ArrayBufferWriter<byte> _building = new(64);
    private IH3Stream? _stream;
    private bool _flushing;
    private bool _scheduled;

    /// <summary>The lock under which the instructions' state changes and they are built.</summary>
    public Lock Gate => gate;

    /// <summary>Attaches the opened stream and sends what is pending.</summary>
    public ValueTask AttachAsync(IH3Stream stream, CancellationToken cancellationToken)
    {
        lock (gate)
            _stream = stream;
        return FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Writes what is pending a moment later, from the thread pool, so that what several streams report meanwhile
    /// (a burst of decoded sections) shares one write. Failures are the connection's: it is closing then.
    /// </summary>
    public void FlushSoon(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (_flushing || _scheduled || _stream is null)
                return;
            _scheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Writer.FlushInBackgroundAsync(state.Token), (Writer: this, Token: cancellationToken), preferLocal: false);
    }

    private async Task FlushInBackgroundAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Quic.QuicException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The stream or the connection is gone.
        }
    }

    /// <summary>Writes what is pending, unless a write is in flight (it takes care of it).</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        IH3Stream stream;
        lock (gate)
        {
            _scheduled = false;
            if (_flushing || _stream is null)
                return;
            _flushing = true;
            stream = _stream;
        }

        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> bytes;
                lock (gate)
                {
                    _building.ResetWrittenCount();
                    build(_building);
                    if (_building.WrittenCount == 0)
                    {
                        _flushing = false;
                        return;
                    }

                    bytes = _building.WrittenMemory;
                }

                // Only the flushing caller touches the buffer until it is rebuilt under the lock.
                await stream.WriteAsync(bytes, false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            lock (gate)
                _flushing = false;
            throw;
        }
    }
}
