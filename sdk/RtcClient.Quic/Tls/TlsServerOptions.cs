using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Quic.Tls;

/// <summary>What the server side of the TLS handshake needs.</summary>
internal sealed class TlsServerOptions
{
    /// <summary>The server certificate with its private key (ECDSA P-256 or RSA).</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Intermediate certificates sent after the end-entity certificate.</summary>
    public IReadOnlyList<X509Certificate2> CertificateChain { get; init; } = [];

    /// <summary>ALPN protocols accepted, most preferred first; the handshake fails with no_application_protocol when none matches.</summary>
    public required IReadOnlyList<string> ApplicationProtocols { get; init; }

    /// <summary>Cipher suites accepted, most preferred first.</summary>
    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; init; } =
        [TlsCipherSuite.Aes128GcmSha256, TlsCipherSuite.Aes256GcmSha384, TlsCipherSuite.ChaCha20Poly1305Sha256];

    /// <summary>
    /// Groups accepted, most preferred first. A client key share in any of them is used directly;
    /// otherwise a HelloRetryRequest asks for the first one the client supports.
    /// </summary>
    public IReadOnlyList<TlsNamedGroup> SupportedGroups { get; init; } = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1];

    /// <summary>NSS key log sink (SSLKEYLOGFILE format), or null.</summary>
    public TextWriter? KeyLog { get; init; }
}
