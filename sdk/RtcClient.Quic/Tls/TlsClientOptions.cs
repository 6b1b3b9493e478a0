using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Quic.Tls;

/// <summary>CONTRACT STUB: what the client side of the TLS handshake needs. The TLS work may add members.</summary>
internal sealed class TlsClientOptions
{
    /// <summary>Server name for SNI and host name validation.</summary>
    public required string ServerName { get; init; }

    /// <summary>ALPN protocols offered, most preferred first.</summary>
    public required IReadOnlyList<string> ApplicationProtocols { get; init; }

    /// <summary>
    /// When non-empty, the server certificate is accepted only if its SHA-256 hash (over the DER
    /// encoding) is one of these, like WebTransport's serverCertificateHashes; otherwise the chain is
    /// validated with X509Chain and the host name checked.
    /// </summary>
    public IReadOnlyList<byte[]> PinnedCertificateSha256 { get; init; } = [];

    /// <summary>Optional extra validation; returning false fails the handshake with bad_certificate.</summary>
    public Func<X509Certificate2, X509Chain?, bool>? CertificateValidator { get; init; }

    /// <summary>NSS key log sink (SSLKEYLOGFILE format), or null.</summary>
    public TextWriter? KeyLog { get; init; }
}
