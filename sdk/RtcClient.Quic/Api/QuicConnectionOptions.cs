using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace RtcClient.Quic;

/// <summary>Options shared by client and server connections (transport parameters, RFC 9000 section 18.2).</summary>
public abstract class QuicConnectionOptions
{
    /// <summary>ALPN protocols, most preferred first.</summary>
    public required IReadOnlyList<string> ApplicationProtocols { get; set; }
    /// <summary>initial_max_streams_bidi the peer may open.</summary>
    public int MaxInboundBidirectionalStreams { get; set; } = 100;
    /// <summary>initial_max_streams_uni the peer may open.</summary>
    public int MaxInboundUnidirectionalStreams { get; set; } = 100;
    /// <summary>max_idle_timeout; zero disables it.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>initial_max_data.</summary>
    public long InitialMaxData { get; set; } = 16 * 1024 * 1024;
    /// <summary>initial_max_stream_data_* for each stream.</summary>
    public long InitialMaxStreamData { get; set; } = 2 * 1024 * 1024;
    /// <summary>max_datagram_frame_size (RFC 9221); zero disables DATAGRAM.</summary>
    public int MaxDatagramFrameSize { get; set; } = 65535;
    /// <summary>Received datagrams held for the application before the oldest is dropped.</summary>
    public int DatagramReceiveQueueLength { get; set; } = 1024;
    /// <summary>Application error code used when a stream is disposed without being completed.</summary>
    public long DefaultStreamErrorCode { get; set; }
    /// <summary>Application error code used when the connection is disposed without CloseAsync.</summary>
    public long DefaultCloseErrorCode { get; set; }
    /// <summary>Path of an NSS key log (SSLKEYLOGFILE format); null reads the SSLKEYLOGFILE environment variable; empty disables.</summary>
    public string? KeyLogPath { get; set; }
    /// <summary>
    /// Directory where each connection writes a qlog trace of the packets it sends and receives (qlog 0.3,
    /// JSON-SEQ, one <c>{odcid}_{client|server}.sqlog</c> file per connection); null or empty: no trace. A
    /// debugging aid (a file write per packet), so it is never on unless asked for; an interop endpoint passes
    /// its QLOGDIR here.
    /// </summary>
    public string? QlogDirectory { get; set; }
    /// <summary>Logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}

/// <summary>Options of a client connection.</summary>
public sealed class QuicClientConnectionOptions : QuicConnectionOptions
{
    /// <summary>The server's address.</summary>
    public required IPEndPoint RemoteEndPoint { get; set; }
    /// <summary>Local address to bind; null picks one of the remote's family.</summary>
    public IPEndPoint? LocalEndPoint { get; set; }
    /// <summary>SNI and the host name validated against the certificate.</summary>
    public required string ServerName { get; set; }
    /// <summary>When non-empty, the certificate is accepted only if its SHA-256 hash is listed (like WebTransport's serverCertificateHashes); chain and name are then not checked.</summary>
    public IReadOnlyList<byte[]> PinnedCertificateSha256 { get; set; } = [];
    /// <summary>Extra validation after the default checks; false fails the handshake with bad_certificate.</summary>
    public Func<X509Certificate2, X509Chain?, bool>? CertificateValidator { get; set; }
    /// <summary>How long the handshake may take.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>TLS 1.3 cipher suites offered, most preferred first; null offers all three.</summary>
    public IReadOnlyList<RtcClient.Quic.Tls.TlsCipherSuite>? CipherSuites { get; set; }
}

/// <summary>Options of a server connection.</summary>
public sealed class QuicServerConnectionOptions : QuicConnectionOptions
{
    /// <summary>Certificate with private key (ECDSA P-256 or RSA).</summary>
    public required X509Certificate2 ServerCertificate { get; set; }
    /// <summary>Intermediates sent after the end-entity certificate.</summary>
    public IReadOnlyList<X509Certificate2> CertificateChain { get; set; } = [];
}

/// <summary>Options of a listener.</summary>
public sealed class QuicListenerOptions
{
    /// <summary>Where to listen (port 0 picks one).</summary>
    public required IPEndPoint ListenEndPoint { get; set; }
    /// <summary>ALPN protocols accepted.</summary>
    public required IReadOnlyList<string> ApplicationProtocols { get; set; }
    /// <summary>Options for each accepted connection.</summary>
    public required QuicServerConnectionOptions ConnectionOptions { get; set; }
    /// <summary>Handshaken connections waiting in AcceptConnectionAsync before new ones are refused.</summary>
    public int ListenBacklog { get; set; } = 512;
    /// <summary>
    /// Connections whose handshake is in progress (or failing) held at once. Only Initials that decrypt and
    /// carry a ClientHello create one; when the limit is reached, the oldest whose client has not yet proven its
    /// address is dropped silently to make room, so forged Initials cannot hold the server's memory or lock out
    /// real clients that answer.
    /// </summary>
    public int MaxHandshakesInProgress { get; set; } = 256;
}
