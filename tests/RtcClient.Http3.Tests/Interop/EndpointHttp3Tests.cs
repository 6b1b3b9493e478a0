using System.Globalization;
using System.Security.Cryptography;
using RtcClient.Http3.Tests.Connection;
using RtcClient.Http3.Tests.Loopback;

namespace RtcClient.Http3.Tests.Interop;

/// <summary>
/// The interop endpoint's `http3` case (tests/RtcClient.Interop.Endpoint, QUIC Interop Runner conventions) run as a
/// process on 127.0.0.1: its client against its server, ngtcp2's client against its server, and WebTransport echo at
/// /wt against its server from our client and from headless Chromium. (quic-go's wtpeer has no client mode.)
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class EndpointHttp3Tests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task EndpointClient_DownloadsFromEndpointServer()
    {
        using var files = new InteropFiles();
        string certs = WriteCerts(files);
        int port = InteropFiles.FreeUdpPort();
        using var server = await StartServerAsync(files, certs, port);
        using var client = StartEndpoint(new()
        {
            ["ROLE"] = "client", ["TESTCASE"] = "http3", ["DOWNLOADS"] = files.Downloads, ["CERTS"] = certs,
            ["REQUESTS"] = string.Join(' ', InteropFiles.Files.Select(f => $"https://127.0.0.1:{port}/{f.Name}")),
        });
        Assert.That(await client.WaitForExitAsync(Timeout), Is.True, "the endpoint client did not finish:\n" + Log(client));
        Assert.That(client.Process.ExitCode, Is.EqualTo(0), "client:\n" + Log(client) + "\nserver:\n" + Log(server));
        AssertDownloaded(files, Log(client));
        Assert.That(server.Lines.Count(l => l.StartsWith("GET /", StringComparison.Ordinal) && l.Contains(": 200", StringComparison.Ordinal)),
            Is.EqualTo(InteropFiles.Files.Length), "requests the server answered:\n" + Log(server));
    }

    [Test]
    public async Task Ngtcp2Client_DownloadsFromEndpointServer()
    {
        using var files = new InteropFiles();
        string certs = WriteCerts(files);
        int port = InteropFiles.FreeUdpPort();
        using var server = await StartServerAsync(files, certs, port);
        var args = new List<string> { "--exit-on-all-streams-close", "--no-quic-dump", "--no-http-dump", "--download=" + files.Downloads, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture) };
        args.AddRange(InteropFiles.Files.Select(f => $"https://127.0.0.1:{port}/{f.Name}"));
        using var client = PeerProcess.Start("gtlsclient", args);
        Assert.That(await client.WaitForExitAsync(Timeout), Is.True, "gtlsclient did not finish:\n" + Log(client));
        AssertDownloaded(files, Log(client) + "\nserver:\n" + Log(server));
    }

    [Test]
    public async Task OurWebTransportClient_EchoesAgainstEndpointServer()
    {
        using var files = new InteropFiles();
        string certs = WriteCerts(files);
        int port = InteropFiles.FreeUdpPort();
        using var server = await StartServerAsync(files, certs, port);
        using var cts = new CancellationTokenSource(Timeout);
        var uri = new Uri($"https://127.0.0.1:{port}/wt");
        await using var client = await Http3ClientConnection.ConnectAsync(uri, new Http3ClientOptions
        {
            PinnedCertificateSha256 = [TestCertificate.Sha256],
            ConfigureQuic = q => q.KeyLogPath = "",
        }, cts.Token);
        foreach (var dialect in new[] { WebTransport.WebTransportDialect.Current, WebTransport.WebTransportDialect.Draft02 })
        {
            var session = await client.OpenWebTransportCoreAsync(uri, null, dialect, cts.Token);
            Assert.That(session.Dialect, Is.EqualTo(dialect));
            await WebTransportTests.ExerciseEchoAsync(session);
            await session.CloseAsync();
        }

        Assert.That(server.Lines.Count(l => l.StartsWith("WebTransport session", StringComparison.Ordinal)), Is.EqualTo(2), Log(server));
    }

    [Test]
    public async Task Chromium_WebTransportEchoAgainstEndpointServer()
    {
        using var files = new InteropFiles();
        string certs = WriteCerts(files);
        File.Copy(Path.Combine(ChromiumInteropTests.PagesDirectory(), "wt.html"), Path.Combine(files.Www, "wt.html"));
        int port = InteropFiles.FreeUdpPort();
        using var server = await StartServerAsync(files, certs, port);
        string hash = Convert.ToBase64String(TestCertificate.Sha256);
        string url = $"https://127.0.0.1:{port}/wt.html?url={Uri.EscapeDataString($"https://127.0.0.1:{port}/wt")}&hash={Uri.EscapeDataString(hash)}";
        using var chromium = ChromiumInteropTests.StartChromium(port, url);
        string? line = await chromium.WaitForLineAsync(l => l.Contains("WTRESULT", StringComparison.Ordinal), Timeout);
        Assert.That(line, Is.Not.Null, "no WTRESULT from Chromium:\n" + string.Join('\n', chromium.Lines.TakeLast(40)) + "\nserver:\n" + Log(server));
        Assert.That(line, Does.Contain("ready datagram=dg-hello bidi=bidi-hello uni=uni-hello"));
        Assert.That(line, Does.Not.Contain("ERROR"));
    }

    private static void AssertDownloaded(InteropFiles files, string log)
    {
        foreach (var (name, _) in InteropFiles.Files)
        {
            string got = Path.Combine(files.Downloads, name);
            Assert.That(File.Exists(got), Is.True, $"{name} not downloaded:\n" + log);
            Assert.That(InteropFiles.Sha256Of(got), Is.EqualTo(files.ExpectedSha256(name)), name);
        }
    }

    // CERTS as the runner lays it out: cert.pem (the chain, leaf first) and priv.key.
    private static string WriteCerts(InteropFiles files)
    {
        string certs = Directory.CreateDirectory(Path.Combine(files.Root, "certs")).FullName;
        File.Copy(files.CertPath, Path.Combine(certs, "cert.pem"));
        File.Copy(files.KeyPath, Path.Combine(certs, "priv.key"));
        return certs;
    }

    private static async Task<PeerProcess> StartServerAsync(InteropFiles files, string certs, int port)
    {
        var server = StartEndpoint(new()
        {
            ["ROLE"] = "server", ["TESTCASE"] = "http3", ["WWW"] = files.Www, ["CERTS"] = certs,
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
        });
        string? ready = await server.WaitForLineAsync(l => l.StartsWith("listening on", StringComparison.Ordinal), Timeout);
        if (ready is null)
        {
            server.Dispose();
            Assert.Fail("the endpoint server did not start:\n" + Log(server));
        }

        return server;
    }

    private static PeerProcess StartEndpoint(Dictionary<string, string> environment)
    {
        // The endpoint's build output sits next to ours: .../RtcClient.Interop.Endpoint/bin/<config>/<tfm>/.
        string endpoint = Path.Combine(TestContext.CurrentContext.TestDirectory.Replace("RtcClient.Http3.Tests", "RtcClient.Interop.Endpoint", StringComparison.Ordinal), "RtcClient.Interop.Endpoint.dll");
        if (!File.Exists(endpoint))
            Assert.Fail("interop endpoint not built: " + endpoint);
        environment["SSLKEYLOGFILE"] = "";
        return PeerProcess.Start("dotnet", [endpoint], environment);
    }

    private static string Log(PeerProcess process) => string.Join('\n', process.Lines.TakeLast(30));
}
