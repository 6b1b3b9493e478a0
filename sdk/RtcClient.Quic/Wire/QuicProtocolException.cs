namespace RtcClient.Quic.Wire;

/// <summary>
/// A connection error found while processing the peer's input (RFC 9000 section 11.1). Thrown inside
/// the sans-IO core only; the connection turns it into CONNECTION_CLOSE with this code and never lets
/// it escape a public API.
/// </summary>
public sealed class QuicProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QuicProtocolException(TransportErrorCode code, string reason, long frameType = 0) : base(reason)
    {
        Code = code;
        FrameType = frameType;
    }

    /// <summary>The transport error code for CONNECTION_CLOSE.</summary>
    public TransportErrorCode Code { get; }

    /// <summary>The frame type that triggered the error (0 when unknown).</summary>
    public long FrameType { get; }
}
