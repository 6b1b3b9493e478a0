using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Quic.Tls;

/// <summary>What the client side of the TLS handshake needs.</summary>
internal sealed class TlsClientOptions
{
    /// <summary>Server name for SNI and host name validation.</summary>
    public required string ServerName { get; init; }

    /// <summary>ALPN protocols offered, most preferred first.</summary>
    public required IReadOnlyList<string> ApplicationProtocols { get; init; }

    /// <summary>
    /// When non-empty, the server certificate is accepted only if its SHA-256 hash (over the DER
    /// encoding) is one of these, like WebTransport's serverCertificateHashes (only its validity period
    /// is checked then, not its chain or name); otherwise the chain is validated with X509Chain and the
    /// host name checked against the subjectAltName.
    /// </summary>
    public IReadOnlyList<byte[]> PinnedCertificateSha256 { get; init; } = [];

    /// <summary>Optional extra validation; returning false fails the handshake with bad_certificate.</summary>
    public Func<X509Certificate2, X509Chain?, bool>? CertificateValidator { get; init; }

    /// <summary>
    /// When non-empty, the chain is validated against these roots only (X509ChainTrustMode.CustomRootTrust)
    /// instead of the system store; the host name is still checked. Ignored when pins are set.
    /// </summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>Cipher suites offered, most preferred first.</summary>
    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; init; } = DefaultCipherSuites;

    /// <summary>All three TLS 1.3 suites, AES-128-GCM first.</summary>
    public static IReadOnlyList<TlsCipherSuite> DefaultCipherSuites { get; } =
        [TlsCipherSuite.Aes128GcmSha256, TlsCipherSuite.Aes256GcmSha384, TlsCipherSuite.ChaCha20Poly1305Sha256];

    /// <summary>
    /// Groups listed in supported_groups, most preferred first. The first ClientHello carries a key
    /// share for the first one only; a server wanting another answers with a HelloRetryRequest.
    /// </summary>
    public IReadOnlyList<TlsNamedGroup> SupportedGroups { get; init; } = [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1];

    /// <summary>NSS key log sink (SSLKEYLOGFILE format), or null.</summary>
    public TextWriter? KeyLog { get; init; }
}
