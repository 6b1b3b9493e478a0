using System.Net;
using System.Security.Cryptography;
using System.Text;
using RtcClient.Http3.Tests.Connection;
using RtcClient.Http3.Tests.Loopback;

namespace RtcClient.Http3.Tests.Interop;

/// <summary>Headless Chromium against our HTTP/3 server (pages from tests/interop-peers/pages).</summary>
[Category("Interop")]
public class ChromiumInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    internal static string PagesDirectory()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "interop-peers", "pages")))
            dir = dir.Parent;
        return dir is null ? throw new DirectoryNotFoundException("tests/interop-peers/pages") : Path.Combine(dir.FullName, "tests", "interop-peers", "pages");
    }

    private static async Task<Http3Server> StartServerAsync()
    {
        string pages = PagesDirectory();
        var options = new Http3ServerOptions { ServerCertificate = TestCertificate.Certificate };
        options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        options.ConfigureQuic = q => q.KeyLogPath = "";
        var server = new Http3Server(options, async ctx =>
        {
            if (ctx.IsWebTransportRequest)
            {
                await WebTransportTests.EchoHandler(ctx);
                return;
            }

            string path = ctx.Path.Split('?')[0];
            if (path == "/stream")
            {
                ctx.ResponseHeaders.Add(new("content-type", "text/plain"));
                for (int i = 0; i < 5; i++)
                {
                    await ctx.ResponseBody.WriteAsync(Encoding.ASCII.GetBytes($"part{i};"));
                    await Task.Delay(20);
                }

                return;
            }

            if (path == "/fetch.html")
            {
                ctx.ResponseHeaders.Add(new("content-type", "text/html; charset=utf-8"));
                await ctx.ResponseBody.WriteAsync(Encoding.UTF8.GetBytes(FetchPage));
                return;
            }

            string file = Path.Combine(pages, Path.GetFileName(path));
            if (path.EndsWith(".html", StringComparison.Ordinal) && File.Exists(file))
            {
                ctx.ResponseHeaders.Add(new("content-type", "text/html; charset=utf-8"));
                await ctx.ResponseBody.WriteAsync(await File.ReadAllBytesAsync(file));
                return;
            }

            ctx.StatusCode = 404;
        });
        await server.StartAsync();
        return server;
    }

    // Reads /stream with fetch() chunk by chunk and reports how many chunks arrived and the text.
    private const string FetchPage = """
        <html><body><script>
        (async () => {
          try {
            const r = await fetch('/stream');
            const reader = r.body.getReader(); const dec = new TextDecoder(); let text = '', chunks = 0;
            for (;;) { const {value, done} = await reader.read(); if (done) break; chunks++; text += dec.decode(value); }
            const n = performance.getEntriesByName(location.origin + '/stream')[0];
            console.log('FETCHRESULT status=' + r.status + ' proto=' + (n && n.nextHopProtocol) + ' chunks=' + chunks + ' text=' + text);
          } catch (e) { console.log('FETCHRESULT ERROR ' + e); }
        })();
        </script></body></html>
        """;

    internal static PeerProcess StartChromium(int port, string url) => PeerProcess.StartChromium(port, TestCertificate.Certificate, url);

    [Test]
    public async Task Chromium_WebTransport_EchoesDatagramBidiAndUni()
    {
        await using var server = await StartServerAsync();
        int port = server.LocalEndPoints[0].Port;
        string hash = Convert.ToBase64String(TestCertificate.Sha256);
        string url = $"https://127.0.0.1:{port}/wt.html?url={Uri.EscapeDataString($"https://127.0.0.1:{port}/wt")}&hash={Uri.EscapeDataString(hash)}";
        using var chromium = StartChromium(port, url);
        string? line = await chromium.WaitForLineAsync(l => l.Contains("WTRESULT", StringComparison.Ordinal), Timeout);
        Assert.That(line, Is.Not.Null, "no WTRESULT from Chromium:\n" + string.Join('\n', chromium.Lines.TakeLast(40)));
        Assert.That(line, Does.Contain("ready datagram=dg-hello bidi=bidi-hello uni=uni-hello"));
        Assert.That(line, Does.Not.Contain("ERROR"));
    }

    [Test]
    public async Task Chromium_LoadsPageOverH3()
    {
        await using var server = await StartServerAsync();
        int port = server.LocalEndPoints[0].Port;
        using var chromium = StartChromium(port, $"https://127.0.0.1:{port}/proto.html");
        string? line = await chromium.WaitForLineAsync(l => l.Contains("PROTO", StringComparison.Ordinal), Timeout);
        Assert.That(line, Is.Not.Null, "no PROTO line from Chromium:\n" + string.Join('\n', chromium.Lines.TakeLast(40)));
        Assert.That(line, Does.Contain("PROTO h3"));
    }

    [Test]
    public async Task Chromium_FetchStreamsAResponseBody()
    {
        await using var server = await StartServerAsync();
        int port = server.LocalEndPoints[0].Port;
        using var chromium = StartChromium(port, $"https://127.0.0.1:{port}/fetch.html");
        string? line = await chromium.WaitForLineAsync(l => l.Contains("FETCHRESULT", StringComparison.Ordinal), Timeout);
        Assert.That(line, Is.Not.Null, "no FETCHRESULT from Chromium:\n" + string.Join('\n', chromium.Lines.TakeLast(40)));
        Assert.That(line, Does.Contain("status=200 proto=h3"));
        Assert.That(line, Does.Contain("text=part0;part1;part2;part3;part4;"));
    }
}
