using System.Buffers;
using RtcClient.Http3.Transport;

namespace RtcClient.Http3.Qpack;

/// <summary>
/// Our QPACK decoder stream (RFC 9204 section 4.4). Callers only report what happened (a section was decoded, the
/// table grew); the instructions are built by the one writer at the moment it writes them, so they reach the wire
/// in the order they were computed. That matters because Section Acknowledgment and Insert Count Increment both
/// advance the encoder's Known Received Count: an increment computed before an acknowledgment but sent after it
/// would count entries twice, which the encoder must treat as QPACK_DECODER_STREAM_ERROR (section 4.4.3).
/// Instructions pending while a write is in flight go out together in the next one.
/// </summary>
internal sealed class QpackDecoderStreamWriter(QpackDecoder decoder)
{
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _building = new(64);
    private List<(long StreamId, long RequiredInsertCount)> _sections = [];
    private List<(long StreamId, long RequiredInsertCount)> _spare = [];
    private IH3Stream? _stream;
    private bool _flushing;
    private bool _tableGrew;

    /// <summary>Attaches the opened decoder stream and sends what is pending.</summary>
    public ValueTask AttachAsync(IH3Stream stream, CancellationToken cancellationToken)
    {
        lock (_gate)
            _stream = stream;
        return FlushAsync(cancellationToken);
    }

    /// <summary>A field section with a non-zero Required Insert Count was decoded: acknowledge it.</summary>
    public ValueTask SectionDecodedAsync(long streamId, long requiredInsertCount, CancellationToken cancellationToken)
    {
        lock (_gate)
            _sections.Add((streamId, requiredInsertCount));
        return FlushAsync(cancellationToken);
    }

    /// <summary>Encoder instructions inserted entries: acknowledge those no section acknowledgment covers.</summary>
    public ValueTask TableGrewAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            _tableGrew = true;
        return FlushAsync(cancellationToken);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        IH3Stream stream;
        lock (_gate)
        {
            // Whoever is writing already will pick up what was just reported.
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
                lock (_gate)
                {
                    _building.ResetWrittenCount();
                    (_sections, _spare) = (_spare, _sections);
                    foreach (var (id, ric) in _spare)
                        decoder.WriteSectionAcknowledgment(id, ric, _building);
                    _spare.Clear();
                    if (_tableGrew)
                    {
                        _tableGrew = false;
                        decoder.WriteInsertCountIncrement(_building);
                    }

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
            lock (_gate)
                _flushing = false;
            throw;
        }
    }
}
