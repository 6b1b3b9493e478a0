using RtcClient.Quic;

namespace RtcClient.Http3.Transport;

/// <summary>A QUIC stream as HTTP/3 uses it. Reads return 0 at FIN; a peer reset throws <see cref="QuicException"/>.</summary>
internal interface IH3Stream : IAsyncDisposable
{
    /// <summary>The QUIC stream ID.</summary>
    long Id { get; }

    /// <summary>True for a bidirectional stream.</summary>
    bool IsBidirectional { get; }

    /// <summary>Reads what is available (at least one byte), or 0 at FIN.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes, optionally with FIN.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, bool completeWrites, CancellationToken cancellationToken);

    /// <summary>Sends FIN.</summary>
    void CompleteWrites();

    /// <summary>RESET_STREAM and/or STOP_SENDING with an application error code.</summary>
    void Abort(QuicAbortDirection direction, long errorCode);
}
