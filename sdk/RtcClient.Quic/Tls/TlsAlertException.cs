namespace RtcClient.Quic.Tls;

/// <summary>
/// A TLS alert raised by the handshake. QUIC carries it as the transport error CRYPTO_ERROR
/// 0x0100 + alert (RFC 9001 section 4.8).
/// </summary>
public sealed class TlsAlertException : Exception
{
    /// <summary>Creates the exception for an alert description (RFC 8446 section 6).</summary>
    public TlsAlertException(byte alert, string message) : base(message) => Alert = alert;

    /// <summary>Creates the exception for an alert description with the failure that caused it.</summary>
    public TlsAlertException(byte alert, string message, Exception innerException) : base(message, innerException) => Alert = alert;

    /// <summary>The TLS AlertDescription value.</summary>
    public byte Alert { get; }

    /// <summary>The QUIC transport error code for this alert.</summary>
    public long QuicErrorCode => 0x100 + Alert;
}
