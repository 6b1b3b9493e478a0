namespace RtcClient.Quic;

/// <summary>The two kinds of QUIC stream (RFC 9000 section 2.1).</summary>
public enum QuicStreamType
{
    /// <summary>Data flows only from the initiator to the peer.</summary>
    Unidirectional = 0,
    /// <summary>Data flows both ways.</summary>
    Bidirectional = 1,
}
