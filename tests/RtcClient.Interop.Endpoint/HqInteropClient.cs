using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RtcClient.Quic;
using RtcClient.Quic.Tls;

namespace RtcClient.Interop.Endpoint;

/// <summary>
/// hq-interop client: downloads every URL in REQUESTS into DOWNLOADS. One connection with all requests
/// in parallel, except multiconnect (one connection per request). chacha20 offers only
/// TLS_CHACHA20_POLY1305_SHA256; keyupdate initiates a 1-RTT key update before requesting.
/// The server certificate is pinned from CERTS/cert.pem: validation is never skipped.
/// </summary>
internal static class HqInteropClient
{
    private static readonly TimeSpan KeyUpdateWait = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(EndpointSettings settings, CancellationToken ct)
    {
        if (settings.Requests.Count == 0) throw new InvalidOperationException("REQUESTS is empty");
        var pinPath = Path.Combine(settings.Certs, "cert.pem");
        if (!File.Exists(pinPath)) throw new InvalidOperationException($"the client pins the server certificate: {pinPath} is missing (set CERTS)");
        using var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(pinPath));
        var pin = SHA256.HashData(pinned.RawData);
        Directory.CreateDirectory(settings.Downloads);

        if (settings.TestCase == "multiconnect")
        {
            foreach (var request in settings.Requests)
            {
                await using var connection = await ConnectAsync(settings, request, pin, ct);
                await DownloadAsync(connection, request, settings.Downloads, ct);
                await connection.CloseAsync(0, ct);
            }
            return 0;
        }
        await using (var connection = await ConnectAsync(settings, settings.Requests[0], pin, ct))
        {
            if (settings.TestCase == "keyupdate") await UpdateKeysAsync(connection, ct);
            await Task.WhenAll(settings.Requests.Select(r => DownloadAsync(connection, r, settings.Downloads, ct)));
            await connection.CloseAsync(0, ct);
        }
        return 0;
    }

    private static async Task<QuicConnection> ConnectAsync(EndpointSettings settings, Uri request, byte[] pin, CancellationToken ct)
    {
        var address = IPAddress.TryParse(request.Host.Trim('[', ']'), out var ip) ? ip : (await Dns.GetHostAddressesAsync(request.Host, ct))[0];
        var connection = await QuicConnection.ConnectAsync(new QuicClientConnectionOptions
        {
            RemoteEndPoint = new IPEndPoint(address, request.Port),
            ServerName = ip is null ? request.Host : "localhost",
            ApplicationProtocols = ["hq-interop"],
            PinnedCertificateSha256 = [pin],
            KeyLogPath = settings.KeyLogFile,
            QlogDirectory = settings.QlogDir ?? "",
            CipherSuites = settings.TestCase == "chacha20" ? [TlsCipherSuite.ChaCha20Poly1305Sha256] : null,
        }, ct);
        Console.WriteLine($"connected to {connection.RemoteEndPoint} alpn={connection.NegotiatedApplicationProtocol}");
        return connection;
    }

    /// <summary>A key update is allowed once the handshake is confirmed; retry until then.</summary>
    private static async Task UpdateKeysAsync(QuicConnection connection, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + KeyUpdateWait;
        while (!connection.RequestKeyUpdate())
        {
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("key update was never allowed");
            await Task.Delay(10, ct);
        }
        Console.WriteLine("key update initiated");
    }

    private static async Task DownloadAsync(QuicConnection connection, Uri request, string downloads, CancellationToken ct)
    {
        await using var stream = await connection.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, ct);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {request.AbsolutePath}\r\n"), completeWrites: true, ct);
        var target = Path.Combine(downloads, Path.GetFileName(request.AbsolutePath));
        await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await stream.CopyToAsync(file, 1 << 16, ct);
        Console.WriteLine($"downloaded {request.AbsolutePath}: {file.Length} bytes");
    }
}
