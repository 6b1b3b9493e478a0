using System.Net;
using System.Security.Cryptography;
using RtcClient.Quic.Tests.Tls;

namespace RtcClient.Quic.Tests.Api;

/// <summary>Our client connected to our server over real UDP on 127.0.0.1.</summary>
internal sealed class LoopbackPair : IAsyncDisposable
{
    public required QuicListener Listener { get; init; }
    public required QuicConnection Client { get; init; }
    public required QuicConnection Server { get; init; }

    public static async Task<LoopbackPair> ConnectAsync(CancellationToken ct, Action<QuicClientConnectionOptions>? configureClient = null)
    {
        var cert = TlsTestCertificates.Ecdsa;
        var listener = await QuicListener.ListenAsync(new QuicListenerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ApplicationProtocols = ["test"],
            ConnectionOptions = new QuicServerConnectionOptions { ApplicationProtocols = ["test"], ServerCertificate = cert, KeyLogPath = "" },
        }, ct);
        var options = new QuicClientConnectionOptions
        {
            RemoteEndPoint = listener.LocalEndPoint,
            ServerName = "localhost",
            ApplicationProtocols = ["test"],
            PinnedCertificateSha256 = [SHA256.HashData(cert.RawData)],
            KeyLogPath = "",
        };
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
