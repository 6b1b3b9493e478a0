namespace RtcClient.Quic.Connection;

/// <summary>A connection ID we issued (sequence 0 is the handshake's Source Connection ID).</summary>
/// <param name="Sequence">Sequence number.</param>
/// <param name="Id">The ID.</param>
/// <param name="ResetToken">Its stateless reset token.</param>
internal sealed record LocalConnectionId(long Sequence, ConnectionId Id, byte[] ResetToken)
{
    /// <summary>NEW_CONNECTION_ID for it waits to be sent.</summary>
    public bool Pending { get; set; }
}

/// <summary>A connection ID the peer issued to us.</summary>
/// <param name="Sequence">Sequence number.</param>
/// <param name="Id">The ID.</param>
/// <param name="ResetToken">Its stateless reset token, when known.</param>
internal sealed record PeerConnectionId(long Sequence, ConnectionId Id, byte[]? ResetToken);
