using System.Net;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic;

namespace RtcClient.Http3;

/// <summary>Options of <see cref="Http3Server"/>.</summary>
public sealed class Http3ServerOptions
{
    /// <summary>Where to listen (loopback in tests); port 0 picks one.</summary>
    public List<IPEndPoint> EndPoints { get; } = [];

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>HTTP/3 limits and features.</summary>
    public Http3Options Http3 { get; set; } = new();

    /// <summary>Adjusts the QUIC options of accepted connections (stream limits, idle timeout, datagrams, key log).</summary>
    public Action<QuicServerConnectionOptions>? ConfigureQuic { get; set; }

    /// <summary>
    /// How long a client may take to send a request's complete HEADERS after opening the stream. When it is exceeded
    /// the stream is reset with H3_REQUEST_REJECTED (nothing was processed, so the client may retry) and freed.
    /// Zero or <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one read of a request body may wait for the client's next bytes. When it is exceeded the server stops
    /// reading (STOP_SENDING with H3_REQUEST_CANCELLED), the handler's read fails, and the response is 408 when it has
    /// not started (else the stream is reset). WebTransport sessions and CONNECT tunnels are exempt once accepted.
    /// Zero or <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan RequestBodyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful shutdown waits for requests in flight.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
