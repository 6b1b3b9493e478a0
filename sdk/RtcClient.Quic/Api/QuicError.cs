namespace RtcClient.Quic;

/// <summary>Why a QUIC operation failed.</summary>
public enum QuicError
{
    /// <summary>An internal error; see the message.</summary>
    InternalError = 0,
    /// <summary>The peer closed the connection with an application error code (CONNECTION_CLOSE 0x1d).</summary>
    ConnectionAborted,
    /// <summary>The peer aborted the stream (RESET_STREAM or STOP_SENDING) with an application error code.</summary>
    StreamAborted,
    /// <summary>The connection or a stream was closed with a transport error (CONNECTION_CLOSE 0x1c); see <see cref="QuicException.TransportErrorCode"/>.</summary>
    TransportError,
    /// <summary>The connection timed out (idle timeout or handshake timeout).</summary>
    ConnectionTimeout,
    /// <summary>The handshake failed (TLS alert, certificate rejected, no common ALPN or version).</summary>
    HandshakeFailed,
    /// <summary>No connection could be established (nothing answered, or a stateless reset arrived).</summary>
    ConnectionRefused,
    /// <summary>The operation is not allowed in this state (the local side already closed or aborted).</summary>
    OperationAborted,
    /// <summary>The peer's stream limit is reached and the wait was cancelled.</summary>
    StreamLimitReached,
}
