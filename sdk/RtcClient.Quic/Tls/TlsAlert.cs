namespace RtcClient.Quic.Tls;

/// <summary>TLS AlertDescription values used by the handshake (RFC 8446 section 6).</summary>
internal static class TlsAlert
{
    /// <summary>unexpected_message.</summary>
    public const byte UnexpectedMessage = 10;
    /// <summary>handshake_failure.</summary>
    public const byte HandshakeFailure = 40;
    /// <summary>bad_certificate.</summary>
    public const byte BadCertificate = 42;
    /// <summary>unsupported_certificate.</summary>
    public const byte UnsupportedCertificate = 43;
    /// <summary>certificate_expired.</summary>
    public const byte CertificateExpired = 45;
    /// <summary>certificate_unknown.</summary>
    public const byte CertificateUnknown = 46;
    /// <summary>illegal_parameter.</summary>
    public const byte IllegalParameter = 47;
    /// <summary>unknown_ca.</summary>
    public const byte UnknownCa = 48;
    /// <summary>decode_error.</summary>
    public const byte DecodeError = 50;
    /// <summary>decrypt_error.</summary>
    public const byte DecryptError = 51;
    /// <summary>protocol_version.</summary>
    public const byte ProtocolVersion = 70;
    /// <summary>internal_error.</summary>
    public const byte InternalError = 80;
    /// <summary>missing_extension.</summary>
    public const byte MissingExtension = 109;
    /// <summary>unsupported_extension.</summary>
    public const byte UnsupportedExtension = 110;
    /// <summary>no_application_protocol.</summary>
    public const byte NoApplicationProtocol = 120;
}
