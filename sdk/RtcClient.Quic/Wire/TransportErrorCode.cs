namespace RtcClient.Quic.Wire;

/// <summary>QUIC transport error codes (RFC 9000 section 20.1). CRYPTO_ERROR is 0x0100 + TLS alert.</summary>
public enum TransportErrorCode : long
{
    /// <summary>NO_ERROR.</summary>
    NoError = 0x00,
    /// <summary>INTERNAL_ERROR.</summary>
    InternalError = 0x01,
    /// <summary>CONNECTION_REFUSED.</summary>
    ConnectionRefused = 0x02,
    /// <summary>FLOW_CONTROL_ERROR.</summary>
    FlowControlError = 0x03,
    /// <summary>STREAM_LIMIT_ERROR.</summary>
    StreamLimitError = 0x04,
    /// <summary>STREAM_STATE_ERROR.</summary>
    StreamStateError = 0x05,
    /// <summary>FINAL_SIZE_ERROR.</summary>
    FinalSizeError = 0x06,
    /// <summary>FRAME_ENCODING_ERROR.</summary>
    FrameEncodingError = 0x07,
    /// <summary>TRANSPORT_PARAMETER_ERROR.</summary>
    TransportParameterError = 0x08,
    /// <summary>CONNECTION_ID_LIMIT_ERROR.</summary>
    ConnectionIdLimitError = 0x09,
    /// <summary>PROTOCOL_VIOLATION.</summary>
    ProtocolViolation = 0x0a,
    /// <summary>INVALID_TOKEN.</summary>
    InvalidToken = 0x0b,
    /// <summary>APPLICATION_ERROR.</summary>
    ApplicationError = 0x0c,
    /// <summary>CRYPTO_BUFFER_EXCEEDED.</summary>
    CryptoBufferExceeded = 0x0d,
    /// <summary>KEY_UPDATE_ERROR.</summary>
    KeyUpdateError = 0x0e,
    /// <summary>AEAD_LIMIT_REACHED.</summary>
    AeadLimitReached = 0x0f,
    /// <summary>NO_VIABLE_PATH.</summary>
    NoViablePath = 0x10,
    /// <summary>CRYPTO_ERROR base; add the TLS alert.</summary>
    CryptoError = 0x0100,
}
