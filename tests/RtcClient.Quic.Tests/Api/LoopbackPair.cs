using System.Net;
using System.Security.Cryptography;
using RtcClient.Quic.Tests.Tls;

namespace RtcClient.Quic.Tests.Api;

/// <summary>Our client connected to our server over real UDP on 127.0.0.1 (or ::1).</summary>
internal sealed class LoopbackPair : IAsyncDisposable
{
    public required QuicListener Listener { get; init; }
    public required QuicConnection Client { get; init; }
    public required QuicConnection Server { get; init; }

    /// <summary>A listener on <paramref name="address"/> (default 127.0.0.1) with ALPN "test" and the ECDSA test certificate.</summary>
    public static async Task<QuicListener> ListenAsync(CancellationToken ct, IPAddress? address = null, Action<QuicListenerOptions>? configure = null)
    {
        var options = new QuicListenerOptions
        {
            ListenEndPoint = new IPEndPoint(address ?? IPAddress.Loopback, 0),
            ApplicationProtocols = ["test"],
            ConnectionOptions = new QuicServerConnectionOptions { ApplicationProtocols = ["test"], ServerCertificate = TlsTestCertificates.Ecdsa, KeyLogPath = "" },
        };
        configure?.Invoke(options);
        return await QuicListener.ListenAsync(options, ct);
    }

    /// <summary>Client options for <paramref name="listener"/>, pinning the test certificate.</summary>
    public static QuicClientConnectionOptions ClientOptions(QuicListener listener) => new()
    {
        RemoteEndPoint = listener.LocalEndPoint,
        ServerName = "localhost",
        ApplicationProtocols = ["test"],
        PinnedCertificateSha256 = [SHA256.HashData(TlsTestCertificates.Ecdsa.RawData)],
        KeyLogPath = "",
    };

    public static async Task<LoopbackPair> ConnectAsync(CancellationToken ct, Action<QuicClientConnectionOptions>? configureClient = null, IPAddress? address = null)
    {
        var listener = await ListenAsync(ct, address);
        var options = ClientOptions(listener);
        configureClient?.Invoke(options);
        try
        {
            var accept = listener.AcceptConnectionAsync(ct).AsTask();
            var client = await QuicConnection.ConnectAsync(options, ct);
            var server = await accept;
            return new LoopbackPair { Listener = listener, Client = client, Server = server };
        }
        catch
        {
            await listener.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await Listener.DisposeAsync();
    }
}
