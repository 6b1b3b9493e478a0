namespace RtcClient.Quic.Connection;

/// <summary>Why a connection ended.</summary>
internal enum CloseKind
{
    /// <summary>A CONNECTION_CLOSE frame (sent or received).</summary>
    ConnectionClose,
    /// <summary>The idle timeout expired (RFC 9000 section 10.1).</summary>
    IdleTimeout,
    /// <summary>A stateless reset arrived (RFC 9000 section 10.3).</summary>
    StatelessReset,
    /// <summary>The server offered no version we speak (RFC 9000 section 6.2).</summary>
    VersionNegotiation,
    /// <summary>The handshake did not finish in time.</summary>
    HandshakeTimeout,
    /// <summary>The local endpoint dropped the connection's state without a word (a half-open handshake evicted under load, or a test simulating lost state).</summary>
    Abandoned,
}

/// <summary>The final word on a closed connection.</summary>
/// <param name="Kind">How it ended.</param>
/// <param name="ByPeer">The peer closed it (we received CONNECTION_CLOSE).</param>
/// <param name="IsApplication">The code is an application error code (CONNECTION_CLOSE 0x1d).</param>
/// <param name="ErrorCode">Transport or application error code.</param>
/// <param name="Reason">Reason phrase.</param>
/// <param name="FrameType">For transport errors, the frame type that caused it.</param>
internal sealed record ConnectionCloseInfo(CloseKind Kind, bool ByPeer, bool IsApplication, long ErrorCode, string Reason, long FrameType = 0);
