using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RtcClient.Quic;

namespace RtcClient.Interop.Endpoint;

/// <summary>
/// hq-interop server: a bidirectional stream carries "GET /path\r\n" and is answered with the file's
/// bytes from WWW and FIN. Also accepts h3 clients (handshake only: it sends a control stream with
/// empty SETTINGS and keeps the connection until the client closes).
/// </summary>
internal static class HqInteropServer
{
    private const int MaxRequestLine = 4096;

    public static async Task<int> RunAsync(EndpointSettings settings, CancellationToken ct)
    {
        var certificate = LoadCertificate(settings.Certs, out var chain);
        var www = Path.GetFullPath(settings.Www);
        await using var listener = await QuicListener.ListenAsync(new QuicListenerOptions
        {
            ListenEndPoint = new IPEndPoint(settings.BindAddress, settings.Port),
            ApplicationProtocols = ["hq-interop", "h3"],
            ConnectionOptions = new QuicServerConnectionOptions
            {
                ApplicationProtocols = ["hq-interop", "h3"],
                ServerCertificate = certificate,
                CertificateChain = chain,
                KeyLogPath = settings.KeyLogFile,
                QlogDirectory = settings.QlogDir ?? "",
            },
        }, ct);
        Console.WriteLine($"listening on {listener.LocalEndPoint} ({settings.TestCase})");
        try
        {
            while (true)
            {
                var connection = await listener.AcceptConnectionAsync(ct);
                _ = ServeConnectionAsync(connection, www, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
    }

    internal static X509Certificate2 LoadCertificate(string certs, out IReadOnlyList<X509Certificate2> chain)
    {
        var certPath = Path.Combine(certs, "cert.pem");
        var leaf = X509Certificate2.CreateFromPemFile(certPath, Path.Combine(certs, "priv.key"));
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certPath);
        chain = [.. all.Skip(1)];
        return leaf;
    }

    private static async Task ServeConnectionAsync(QuicConnection connection, string www, CancellationToken ct)
    {
        await using var owned = connection;
        Console.WriteLine($"connection from {connection.RemoteEndPoint} alpn={connection.NegotiatedApplicationProtocol}");
        try
        {
            if (connection.NegotiatedApplicationProtocol == "h3")
            {
                await using var control = await connection.OpenOutboundStreamAsync(QuicStreamType.Unidirectional, ct);
                await control.WriteAsync(new byte[] { 0x00, 0x04, 0x00 }, ct);
                await connection.Closed.WaitAsync(ct);
                return;
            }
            while (true)
            {
                var stream = await connection.AcceptInboundStreamAsync(ct);
                _ = ServeRequestAsync(stream, www, ct);
            }
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException)
        {
            // the client closed, or the server is stopping
        }
    }

    private static async Task ServeRequestAsync(QuicStream stream, string www, CancellationToken ct)
    {
        await using var owned = stream;
        try
        {
            if (stream.Type != QuicStreamType.Bidirectional) return;
            var request = new byte[MaxRequestLine];
            int length = await stream.ReadAtLeastAsync(request, request.Length, throwOnEndOfStream: false, ct);
            var path = ParseRequest(Encoding.ASCII.GetString(request, 0, length), www);
            if (path is null || !File.Exists(path))
            {
                Console.WriteLine($"stream {stream.Id}: no file for request '{Encoding.ASCII.GetString(request, 0, length).Trim()}'");
                stream.Abort(QuicAbortDirection.Write, 0x1);
                return;
            }
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await file.ReadAsync(buffer, ct)) > 0)
                await stream.WriteAsync(buffer.AsMemory(0, n), ct);
            stream.CompleteWrites();
            await stream.WritesClosed.WaitAsync(ct);
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException or IOException)
        {
            Console.WriteLine($"stream {stream.Id}: {e.Message}");
        }
    }

    /// <summary>"GET /a/b\r\n" → WWW/a/b, or null when malformed or outside WWW.</summary>
    internal static string? ParseRequest(string requestLine, string www)
    {
        var line = requestLine.TrimEnd('\r', '\n', ' ');
        if (!line.StartsWith("GET /", StringComparison.Ordinal)) return null;
        var relative = Uri.UnescapeDataString(line[5..]);
        var full = Path.GetFullPath(Path.Combine(www, relative));
        return full.StartsWith(www.TrimEnd('/') + "/", StringComparison.Ordinal) ? full : null;
    }
}
