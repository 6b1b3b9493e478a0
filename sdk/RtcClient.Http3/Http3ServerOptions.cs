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

    /// <summary>How long a graceful shutdown waits for requests in flight.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
