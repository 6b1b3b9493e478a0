using System.Diagnostics;
using System.Net;
using RtcClient.Http3.Tests.Loopback;

namespace RtcClient.Http3.Tests.Interop;

/// <summary>
/// Our client against our server and against Caddy serving the same 10 MB file, and the small-request rate of
/// each, in the same run. The floor: our server reaches half of Caddy's download throughput.
/// </summary>
[Category("Interop")]
public class ThroughputComparisonTests
{
    private const int Downloads = 3;
    private const int SmallRequests = 200;

    [Test]
    public async Task TenMegabyteDownload_AndSmallRequestRate_OursVersusCaddy()
    {
        using var files = new InteropFiles();
        var clientOptions = new Http3ClientOptions { PinnedCertificateSha256 = [TestCertificate.Sha256], ConfigureQuic = q => q.KeyLogPath = "" };

        var options = new Http3ServerOptions { ServerCertificate = TestCertificate.Certificate };
        options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        options.ConfigureQuic = q => q.KeyLogPath = "";
        (double Mbps, double Rps) ours;
        await using (var server = new Http3Server(options, ctx => InteropFiles.ServeFileAsync(ctx, files.Www)))
        {
            await server.StartAsync();
            ours = await MeasureAsync(new Uri($"https://127.0.0.1:{server.LocalEndPoints[0].Port}/"), clientOptions);
        }

        int port = InteropFiles.FreeUdpPort();
        string caddyfile = Path.Combine(files.Root, "Caddyfile");
        File.WriteAllText(caddyfile,
            "{\n\tadmin off\n\tauto_https off\n\tstorage file_system " + Path.Combine(files.Root, "caddy-data") + "\n\tservers {\n\t\tprotocols h1 h2 h3\n\t}\n}\n\n" +
            $"https://127.0.0.1:{port} {{\n\tbind 127.0.0.1\n\ttls {files.CertPath} {files.KeyPath}\n\troot * {files.Www}\n\tfile_server\n}}\n");
        (double Mbps, double Rps) caddy;
        using (var process = PeerProcess.Start("caddy", ["run", "--config", caddyfile, "--adapter", "caddyfile"]))
        {
            Assert.That(await process.WaitForLineAsync(l => l.Contains("serving initial configuration", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), Is.Not.Null);
            caddy = await MeasureAsync(new Uri($"https://127.0.0.1:{port}/"), clientOptions);
        }

        TestContext.Out.WriteLine($"10 MB download: ours {ours.Mbps:F1} Mbit/s, Caddy {caddy.Mbps:F1} Mbit/s, ratio {ours.Mbps / caddy.Mbps:F2}");
        TestContext.Out.WriteLine($"small requests: ours {ours.Rps:F0}/s, Caddy {caddy.Rps:F0}/s, ratio {ours.Rps / caddy.Rps:F2}");
        Assert.That(ours.Mbps, Is.GreaterThanOrEqualTo(caddy.Mbps / 2), "our server below half of Caddy's throughput");
    }

    private static async Task<(double Mbps, double Rps)> MeasureAsync(Uri baseUri, Http3ClientOptions options)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var client = await Http3ClientConnection.ConnectAsync(baseUri, options, cts.Token);
        var buffer = new byte[64 * 1024];
        long bytes = 0;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < Downloads; i++)
        {
            using var r = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "10m.bin")), cts.Token);
            await using var body = await r.Content.ReadAsStreamAsync(cts.Token);
            int n;
            while ((n = await body.ReadAsync(buffer, cts.Token)) > 0)
                bytes += n;
        }

        double mbps = bytes * 8 / sw.Elapsed.TotalSeconds / 1e6;
        Assert.That(bytes, Is.EqualTo(Downloads * (10L << 20)));

        // Warm up the small-request path first: the server measured first would otherwise pay for its JIT.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var r = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "1k.bin")), cts.Token);
            await r.Content.ReadAsByteArrayAsync(cts.Token);
        }));
        sw.Restart();
        var tasks = Enumerable.Range(0, SmallRequests).Select(async _ =>
        {
            using var r = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "1k.bin")), cts.Token);
            Assert.That((await r.Content.ReadAsByteArrayAsync(cts.Token)).Length, Is.EqualTo(1024));
        });
        await Task.WhenAll(tasks);
        double rps = SmallRequests / sw.Elapsed.TotalSeconds;
        return (mbps, rps);
    }
}
