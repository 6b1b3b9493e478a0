namespace RtcClient.Quic.Connection;

/// <summary>
/// What the connection core reports to its owner (the driver or a simulation), called synchronously
/// from inside <see cref="QuicConnectionCore"/> input methods.
/// </summary>
internal interface IConnectionEvents
{
    /// <summary>The TLS handshake completed on this side.</summary>
    void OnHandshakeCompleted();

    /// <summary>The peer opened a stream.</summary>
    void OnStreamOpened(long streamId);

    /// <summary>A stream has data, a FIN or a reset to read.</summary>
    void OnStreamReadable(long streamId);

    /// <summary>A stream can take more data, or its sending part ended (acknowledged, reset or stopped).</summary>
    void OnStreamWritable(long streamId);

    /// <summary>The peer raised a stream limit: more local streams may be opened.</summary>
    void OnStreamsAvailable();

    /// <summary>A DATAGRAM frame arrived; the span is valid only during the call.</summary>
    void OnDatagramReceived(ReadOnlySpan<byte> payload);

    /// <summary>A connection ID of ours became valid (route packets carrying it to this connection).</summary>
    void OnConnectionIdIssued(ConnectionId connectionId, ReadOnlySpan<byte> statelessResetToken);

    /// <summary>A connection ID of ours was retired.</summary>
    void OnConnectionIdRetired(ConnectionId connectionId);

    /// <summary>
    /// The stateless reset token of the peer's connection ID we send to changed (null: none known). A Stateless
    /// Reset carries no connection ID of ours, so the owner routes datagrams ending in this token here
    /// (RFC 9000 section 10.3.1).
    /// </summary>
    void OnPeerResetTokenChanged(byte[]? previous, byte[]? current);

    /// <summary>The connection is closing (CONNECTION_CLOSE sent or received, timeout, reset); the reason is final.</summary>
    void OnClosing(ConnectionCloseInfo info);

    /// <summary>The connection has ended: no more packets are sent or accepted.</summary>
    void OnTerminated();
}
