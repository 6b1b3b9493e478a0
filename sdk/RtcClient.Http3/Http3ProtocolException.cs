namespace RtcClient.Http3;

/// <summary>
/// A peer violated HTTP/3, QPACK, the Capsule Protocol or WebTransport. <see cref="ErrorCode"/> is what the
/// connection (or, when <see cref="IsStreamError"/>, only the stream) is closed with.
/// </summary>
public sealed class Http3ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public Http3ProtocolException(Http3ErrorCode errorCode, string message, bool isStreamError = false)
        : base(message)
    {
        ErrorCode = errorCode;
        IsStreamError = isStreamError;
    }

    /// <summary>The error code to close with.</summary>
    public Http3ErrorCode ErrorCode { get; }

    /// <summary>True when only the stream is affected (a stream error), false for a connection error.</summary>
    public bool IsStreamError { get; }

    /// <inheritdoc />
    public override string Message => $"{base.Message} ({ErrorCode}, 0x{(long)ErrorCode:x})";
}
