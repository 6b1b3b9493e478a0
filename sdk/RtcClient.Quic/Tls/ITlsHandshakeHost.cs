using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Tls;

/// <summary>
/// What the TLS handshake needs from the QUIC connection that carries it (RFC 9001 section 4.1):
/// a way to send handshake bytes in CRYPTO frames and to install traffic secrets.
/// Calls are made synchronously from inside <see cref="TlsHandshake"/> methods.
/// </summary>
internal interface ITlsHandshakeHost
{
    /// <summary>Queues handshake bytes for CRYPTO frames at <paramref name="level"/>, in order.</summary>
    void WriteCryptoData(EncryptionLevel level, ReadOnlySpan<byte> data);

    /// <summary>The secret the peer uses to protect packets at <paramref name="level"/> (packets we open).</summary>
    void SetReadSecret(EncryptionLevel level, TlsCipherSuite suite, ReadOnlySpan<byte> secret);

    /// <summary>The secret we use to protect packets at <paramref name="level"/> (packets we send).</summary>
    void SetWriteSecret(EncryptionLevel level, TlsCipherSuite suite, ReadOnlySpan<byte> secret);
}
