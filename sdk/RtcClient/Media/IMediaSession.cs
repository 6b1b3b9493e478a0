namespace RtcClient.Media;

/// <summary>
/// A call leg's media session: unreliable datagrams, each one RTP or RTCP packet behind a varint flow
/// id (docs/protocol.md section 7). Implemented over a WebTransport session; in-memory for tests.
/// </summary>
public interface IMediaSession : IAsyncDisposable
{
    /// <summary>Largest datagram (flow id + packet) that can be sent now.</summary>
    int MaxDatagramSize { get; }

    /// <summary>Queues one datagram; false when it was dropped (too large, congestion, closed). Never blocks.</summary>
    bool TrySend(ReadOnlySpan<byte> datagram);

    /// <summary>Copies the next datagram into <paramref name="buffer"/>; returns 0 when the session has ended.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}
