namespace RtcClient.Quic.Connection;

/// <summary>The lifecycle of a connection (RFC 9000 section 10).</summary>
internal enum ConnectionState
{
    /// <summary>Handshaking or established.</summary>
    Open,
    /// <summary>We sent CONNECTION_CLOSE and answer further packets with it (section 10.2.1).</summary>
    Closing,
    /// <summary>The peer closed, or a reset arrived: send nothing (section 10.2.2).</summary>
    Draining,
    /// <summary>Over.</summary>
    Closed,
}
