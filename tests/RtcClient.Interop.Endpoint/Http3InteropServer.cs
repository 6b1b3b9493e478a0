using System.Globalization;
using System.Net;
using RtcClient.Http3;

namespace RtcClient.Interop.Endpoint;

/// <summary>
/// The `http3` server: GET /path answers the file WWW/path over HTTP/3 (404 when there is none, or the path leaves
/// WWW); an extended CONNECT to /wt opens a WebTransport session (either dialect) that echoes datagrams, bidi and uni
/// streams like quic-go's wtpeer.
/// </summary>
internal static class Http3InteropServer
{
    public static async Task<int> RunAsync(EndpointSettings settings, CancellationToken ct)
    {
        var certificate = HqInteropServer.LoadCertificate(settings.Certs, out var chain);
        var www = Path.GetFullPath(settings.Www);
        var options = new Http3ServerOptions { ServerCertificate = certificate };
        options.EndPoints.Add(new IPEndPoint(settings.BindAddress, settings.Port));
        options.ConfigureQuic = q =>
        {
            q.KeyLogPath = settings.KeyLogFile;
            q.QlogDirectory = settings.QlogDir ?? "";
            q.CertificateChain = chain;
        };
        await using var server = new Http3Server(options, ctx => HandleAsync(ctx, www));
        await server.StartAsync(ct);
        Console.WriteLine($"listening on {server.LocalEndPoints[0]} ({settings.TestCase})");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        return 0;
    }

    private static async Task HandleAsync(Http3RequestContext ctx, string www)
    {
        string path = ctx.Path.Split('?')[0];
        if (ctx.IsWebTransportRequest)
        {
            if (path != "/wt")
            {
                ctx.StatusCode = 404;
                return;
            }

            var offered = ctx.WebTransportAvailableProtocols;
            var session = await ctx.AcceptWebTransportSessionAsync(offered.Count > 0 ? offered[0] : null);
            Console.WriteLine($"WebTransport session {session.SessionId} ({session.Dialect})");
            _ = WebTransportEcho.RunAsync(session);
            return;
        }

        string? file = ctx.Method is "GET" or "HEAD" ? HqInteropServer.ParseRequest("GET " + path, www) : null;
        if (file is null || !File.Exists(file))
        {
            Console.WriteLine($"{ctx.Method} {path}: 404");
            ctx.StatusCode = 404;
            return;
        }

        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        ctx.ResponseHeaders.Add(new("content-length", stream.Length.ToString(CultureInfo.InvariantCulture)));
        if (ctx.Method == "GET")
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await stream.ReadAsync(buffer, ctx.RequestAborted)) > 0)
                await ctx.ResponseBody.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
        }

        Console.WriteLine($"{ctx.Method} {path}: 200, {stream.Length} bytes");
    }
}
