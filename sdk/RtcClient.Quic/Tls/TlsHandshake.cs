using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic.Crypto;

namespace RtcClient.Quic.Tls;

/// <summary>
/// CONTRACT STUB (to be implemented by the TLS work): a sans-IO TLS 1.3 handshake for QUIC (RFC 9001).
/// The connection feeds it the in-order bytes of each level's CRYPTO stream; it answers through
/// <see cref="ITlsHandshakeHost"/> with handshake bytes and traffic secrets.
/// </summary>
internal sealed class TlsHandshake
{
    private TlsHandshake() { }

    /// <summary>Client role. <paramref name="localTransportParameters"/> is the encoded quic_transport_parameters extension body.</summary>
    public static TlsHandshake CreateClient(TlsClientOptions options, ReadOnlyMemory<byte> localTransportParameters, ITlsHandshakeHost host)
        => throw new NotImplementedException();

    /// <summary>Server role.</summary>
    public static TlsHandshake CreateServer(TlsServerOptions options, ReadOnlyMemory<byte> localTransportParameters, ITlsHandshakeHost host)
        => throw new NotImplementedException();

    /// <summary>Client: writes the ClientHello (Initial level). Server: does nothing.</summary>
    public void Start() => throw new NotImplementedException();

    /// <summary>
    /// Consumes the next contiguous bytes of the CRYPTO stream at <paramref name="level"/>; messages may
    /// be split across calls. Throws <see cref="TlsAlertException"/> on any failure.
    /// </summary>
    public void ProcessCryptoData(EncryptionLevel level, ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>True once this side has sent and received Finished (RFC 9001 section 4.1.1).</summary>
    public bool IsHandshakeComplete => throw new NotImplementedException();

    /// <summary>The peer's quic_transport_parameters extension body; empty until it has arrived.</summary>
    public ReadOnlyMemory<byte> PeerTransportParameters => throw new NotImplementedException();

    /// <summary>The negotiated ALPN protocol, once known.</summary>
    public string? NegotiatedApplicationProtocol => throw new NotImplementedException();

    /// <summary>The negotiated cipher suite, once known.</summary>
    public TlsCipherSuite CipherSuite => throw new NotImplementedException();

    /// <summary>The peer's end-entity certificate, if it sent one.</summary>
    public X509Certificate2? PeerCertificate => throw new NotImplementedException();
}
