namespace RtcClient.Quic;

/// <summary>A QUIC failure with the protocol's error code when there is one.</summary>
public sealed class QuicException : IOException
{
    /// <summary>Creates the exception.</summary>
    public QuicException(QuicError error, string message, long? applicationErrorCode = null, long? transportErrorCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        ApplicationErrorCode = applicationErrorCode;
        TransportErrorCode = transportErrorCode;
    }

    /// <summary>What kind of failure this is.</summary>
    public QuicError Error { get; }

    /// <summary>The application error code the peer (or we) closed or aborted with, when the error is an application one.</summary>
    public long? ApplicationErrorCode { get; }

    /// <summary>The transport error code (RFC 9000 section 20.1), when the error is a transport one.</summary>
    public long? TransportErrorCode { get; }
}
