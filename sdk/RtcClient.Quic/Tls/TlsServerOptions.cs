using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Quic.Tls;

/// <summary>CONTRACT STUB: what the server side of the TLS handshake needs. The TLS work may add members.</summary>
internal sealed class TlsServerOptions
{
    /// <summary>The server certificate with its private key (ECDSA P-256 or RSA).</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Intermediate certificates sent after the end-entity certificate.</summary>
    public IReadOnlyList<X509Certificate2> CertificateChain { get; init; } = [];

    /// <summary>ALPN protocols accepted, most preferred first; the handshake fails with no_application_protocol when none matches.</summary>
    public required IReadOnlyList<string> ApplicationProtocols { get; init; }

    /// <summary>NSS key log sink (SSLKEYLOGFILE format), or null.</summary>
    public TextWriter? KeyLog { get; init; }
}
