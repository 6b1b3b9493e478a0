using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic;

namespace RtcClient.Http3;

/// <summary>Options of <see cref="Http3ClientConnection"/> and <see cref="Http3Handler"/>.</summary>
public sealed class Http3ClientOptions
{
    /// <summary>HTTP/3 limits and features.</summary>
    public Http3Options Http3 { get; set; } = new();

    /// <summary>Accept the server only if its certificate's SHA-256 is listed (like WebTransport serverCertificateHashes).</summary>
    public IReadOnlyList<byte[]> PinnedCertificateSha256 { get; set; } = [];

    /// <summary>Extra certificate validation.</summary>
    public Func<X509Certificate2, X509Chain?, bool>? CertificateValidator { get; set; }

    /// <summary>Adjusts the QUIC options before connecting.</summary>
    public Action<QuicClientConnectionOptions>? ConfigureQuic { get; set; }
}
