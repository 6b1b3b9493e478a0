using System.Buffers;
using RtcClient.Http3.Transport;

namespace RtcClient.Http3.Qpack;

/// <summary>
/// Our QPACK decoder stream (RFC 9204 section 4.4). Callers only report what happened (a section was decoded, the
/// table grew); the instructions are built when they are written (<see cref="QpackInstructionWriter"/>), so they
/// reach the wire in the order they were computed. That matters because Section Acknowledgment and Insert Count
/// Increment both advance the encoder's Known Received Count: an increment computed before an acknowledgment but
/// sent after it would count entries twice, which the encoder must treat as QPACK_DECODER_STREAM_ERROR
/// (section 4.4.3).
/// </summary>
internal sealed class QpackDecoderStreamWriter
{
    private readonly QpackDecoder _decoder;
    private readonly QpackInstructionWriter _writer;
    private readonly List<(long StreamId, long RequiredInsertCount)> _sections = [];
    private bool _tableGrew;

    public QpackDecoderStreamWriter(QpackDecoder decoder)
    {
        _decoder = decoder;
        _writer = new QpackInstructionWriter(new Lock(), Build);
    }

    /// <summary>Attaches the opened decoder stream and sends what is pending.</summary>
    public ValueTask AttachAsync(IH3Stream stream, CancellationToken cancellationToken) => _writer.AttachAsync(stream, cancellationToken);

    /// <summary>A field section with a non-zero Required Insert Count was decoded: acknowledge it.</summary>
    public ValueTask SectionDecodedAsync(long streamId, long requiredInsertCount, CancellationToken cancellationToken)
    {
        lock (_writer.Gate)
            _sections.Add((streamId, requiredInsertCount));
        return _writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// A field section with a non-zero Required Insert Count was decoded: acknowledge it in a write shortly after,
    /// which acknowledgments of other streams decoded meanwhile share.
    /// </summary>
    public void SectionDecoded(long streamId, long requiredInsertCount, CancellationToken cancellationToken)
    {
        lock (_writer.Gate)
            _sections.Add((streamId, requiredInsertCount));
        _writer.FlushSoon(cancellationToken);
    }

    /// <summary>Encoder instructions inserted entries: acknowledge those no section acknowledgment covers.</summary>
    public ValueTask TableGrewAsync(CancellationToken cancellationToken)
    {
        lock (_writer.Gate)
            _tableGrew = true;
        return _writer.FlushAsync(cancellationToken);
    }

    private void Build(ArrayBufferWriter<byte> output)
    {
        foreach (var (id, ric) in _sections)
            _decoder.WriteSectionAcknowledgment(id, ric, output);
        _sections.Clear();
        if (_tableGrew)
        {
            _tableGrew = false;
            _decoder.WriteInsertCountIncrement(output);
        }
    }
}
