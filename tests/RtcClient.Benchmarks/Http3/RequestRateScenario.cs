using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Benchmarks.Profiling;
using RtcClient.Http3;

namespace RtcClient.Benchmarks.Http3;

/// <summary>
/// `h3-requests`: our HTTP/3 client against our server (in this process) and against Caddy serving the same files,
/// in the same run, over 127.0.0.1: 10 MB downloads (Mbit/s) and concurrent 1 KB GETs (requests/s).
/// Options: --downloads N (3), --requests N (2000), --concurrency N (100), --no-caddy, --profile (an EventPipe CPU
/// sample of the run against our server, top methods printed).
/// </summary>
internal static class RequestRateScenario
{
    private const int Small = 1024;
    private const int Large = 10 << 20;

    public static async Task<int> RunAsync(string[] args)
    {
        int downloads = Option(args, "--downloads", 3);
        int requests = Option(args, "--requests", 2000);
        int concurrency = Option(args, "--concurrency", 100);
        bool profile = args.Contains("--profile");
        bool caddy = !args.Contains("--no-caddy");
        using var cert = Quic.QuicLoopbackScenarios.CreateCertificate();
        byte[] small = RandomNumberGenerator.GetBytes(Small);
        byte[] large = RandomNumberGenerator.GetBytes(Large);
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");

        var options = new Http3ServerOptions { ServerCertificate = cert };
        options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        options.ConfigureQuic = q => q.KeyLogPath = "";
        (double Mbps, double Rps, string Packets) ours;
        await using (var server = new Http3Server(options, ctx => ServeAsync(ctx, small, large)))
        {
            await server.StartAsync();
            var uri = new Uri($"https://127.0.0.1:{server.LocalEndPoints[0].Port}/");
            EventPipeCpuSampler? sampler = profile ? EventPipeCpuSampler.Start() : null;
            ours = await MeasureAsync(uri, cert, downloads, requests, concurrency);
            if (sampler is not null)
            {
                await sampler.ReportAsync(Console.Out);
                await sampler.DisposeAsync();
            }
        }

        Console.WriteLine($"ours : 10 MB download {ours.Mbps:F0} Mbit/s, 1 KB GETs {ours.Rps:F0} req/s, {ours.Packets}");
        if (caddy)
        {
            var theirs = await MeasureCaddyAsync(cert, small, large, downloads, requests, concurrency);
            Console.WriteLine($"caddy: 10 MB download {theirs.Mbps:F0} Mbit/s, 1 KB GETs {theirs.Rps:F0} req/s, {theirs.Packets}");
            Console.WriteLine($"ratio ours/caddy: download {ours.Mbps / theirs.Mbps:F2}, requests {ours.Rps / theirs.Rps:F2}");
        }

        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    // The same bytes Caddy serves from disk, from memory here: the SDK is measured, not the file system.
    private static async Task ServeAsync(Http3RequestContext ctx, byte[] small, byte[] large)
    {
        byte[] body = ctx.Path.StartsWith("/10m", StringComparison.Ordinal) ? large : small;
        ctx.ResponseHeaders.Add(new("content-length", body.Length.ToString(CultureInfo.InvariantCulture)));
        for (int offset = 0; offset < body.Length; offset += 64 * 1024)
            await ctx.ResponseBody.WriteAsync(body.AsMemory(offset, Math.Min(64 * 1024, body.Length - offset)));
    }

    private static async Task<(double Mbps, double Rps, string Packets)> MeasureAsync(Uri baseUri, X509Certificate2 cert, int downloads, int requests, int concurrency)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var client = await Http3ClientConnection.ConnectAsync(baseUri, new Http3ClientOptions
        {
            PinnedCertificateSha256 = [SHA256.HashData(cert.RawData)],
            ConfigureQuic = q => q.KeyLogPath = "",
        }, cts.Token);
        var buffer = new byte[64 * 1024];
        long bytes = 0;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < downloads; i++)
            bytes += await GetAsync(client, new Uri(baseUri, "10m.bin"), buffer, cts.Token);
        double mbps = bytes * 8 / sw.Elapsed.TotalSeconds / 1e6;
        if (bytes != (long)downloads * Large)
            throw new InvalidOperationException($"downloaded {bytes} bytes");

        // Warm up, then the measured requests, at most `concurrency` in flight.
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => GetAsync(client, new Uri(baseUri, "1k.bin"), new byte[2048], cts.Token)));
        int next = 0;
        // Packets per request do not depend on the machine's load the way times do.
        var quic = ((RtcClient.Http3.Transport.QuicH3Transport)client.Connection.Transport).Connection;
        var before = quic.GetStatistics();
        sw.Restart();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var b = new byte[2048];
            var uri = new Uri(baseUri, "1k.bin");
            while (Interlocked.Increment(ref next) <= requests)
            {
                if (await GetAsync(client, uri, b, cts.Token) != Small)
                    throw new InvalidOperationException("short 1 KB response");
            }
        }));
        double rps = requests / sw.Elapsed.TotalSeconds;
        var after = quic.GetStatistics();
        string packets = FormattableString.Invariant(
            $"per request: {(after.PacketsSent - before.PacketsSent) / (double)requests:F2} packets sent, {(after.PacketsReceived - before.PacketsReceived) / (double)requests:F2} received by the client");
        return (mbps, rps, packets);
    }

    private static async Task<long> GetAsync(Http3ClientConnection client, Uri uri, byte[] buffer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{uri}: {(int)response.StatusCode}");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
            total += n;
        return total;
    }

    private static async Task<(double Mbps, double Rps, string Packets)> MeasureCaddyAsync(X509Certificate2 cert, byte[] small, byte[] large, int downloads, int requests, int concurrency)
    {
        var root = Directory.CreateTempSubdirectory("rtc-h3-caddy-").FullName;
        try
        {
            string www = Directory.CreateDirectory(Path.Combine(root, "www")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(www, "1k.bin"), small);
            await File.WriteAllBytesAsync(Path.Combine(www, "10m.bin"), large);
            string certPath = Path.Combine(root, "ec.crt"), keyPath = Path.Combine(root, "ec.key");
            await File.WriteAllTextAsync(certPath, cert.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, cert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            int port = FreeUdpPort();
            string caddyfile = Path.Combine(root, "Caddyfile");
            await File.WriteAllTextAsync(caddyfile,
                "{\n\tadmin off\n\tauto_https off\n\tstorage file_system " + Path.Combine(root, "caddy-data") + "\n\tservers {\n\t\tprotocols h1 h2 h3\n\t}\n}\n\n" +
                $"https://127.0.0.1:{port} {{\n\tbind 127.0.0.1\n\ttls {certPath} {keyPath}\n\troot * {www}\n\tfile_server\n}}\n");
            var psi = new ProcessStartInfo("caddy") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "run", "--config", caddyfile, "--adapter", "caddyfile" })
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("caddy did not start");
            try
            {
                var ready = new TaskCompletionSource();
                process.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("serving initial configuration", StringComparison.Ordinal) == true) ready.TrySetResult(); };
                process.OutputDataReceived += (_, _) => { };
                process.BeginErrorReadLine();
                process.BeginOutputReadLine();
                await ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
                return await MeasureAsync(new Uri($"https://127.0.0.1:{port}/"), cert, downloads, requests, concurrency);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int FreeUdpPort()
    {
        using var s = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.Client.LocalEndPoint!).Port;
    }
}
