using System.Security.Cryptography;

namespace RtcClient.Quic.Tests.Interop;

/// <summary>
/// The QUIC Interop Runner endpoint (tests/RtcClient.Interop.Endpoint) run as server and as client
/// against each other for every supported test case, over hq-interop on loopback; the downloads must
/// equal the served files. Also: 127 for an unsupported case, and the server accepts an h3 client.
/// </summary>
[Category("Interop")]
[NonParallelizable]
[CancelAfter(120_000)]
public class InteropEndpointTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);
    private string _workDir = "";

    [SetUp]
    public void CreateWorkDir() => _workDir = Directory.CreateTempSubdirectory("interop-endpoint-").FullName;

    [TearDown]
    public void DeleteWorkDir() => Directory.Delete(_workDir, recursive: true);

    [TestCase("handshake", new[] { 1_000 })]
    [TestCase("transfer", new[] { 2_000_000, 3_000_000, 10_000 })]
    [TestCase("chacha20", new[] { 1_000_000 })]
    [TestCase("keyupdate", new[] { 2_000_000 })]
    [TestCase("multiconnect", new[] { 1_000, 2_000, 3_000, 4_000, 5_000 })]
    public async Task Our_client_downloads_from_our_server(string testCase, int[] sizes, CancellationToken ct)
    {
        var www = Directory.CreateDirectory(Path.Combine(_workDir, "www")).FullName;
        var downloads = Path.Combine(_workDir, "downloads");
        var certs = Directory.CreateDirectory(Path.Combine(_workDir, "certs")).FullName;
        InteropCertificate.WriteTo(certs);
        var names = sizes.Select((size, i) => $"file{i}-{size}.bin").ToArray();
        for (int i = 0; i < sizes.Length; i++)
            await File.WriteAllBytesAsync(Path.Combine(www, names[i]), RandomNumberGenerator.GetBytes(sizes[i]), ct);
        int port = InteropPeerProcess.FreeUdpPort();
        var serverQlog = Path.Combine(_workDir, "qlog-server");
        var clientQlog = Path.Combine(_workDir, "qlog-client");

        using var server = StartEndpoint(new()
        {
            ["ROLE"] = "server", ["TESTCASE"] = testCase, ["WWW"] = www, ["CERTS"] = certs, ["PORT"] = port.ToString(), ["QLOGDIR"] = serverQlog,
        });
        await server.WaitForOutputAsync("listening on", Timeout, ct);
        using var client = StartEndpoint(new()
        {
            ["ROLE"] = "client", ["TESTCASE"] = testCase, ["DOWNLOADS"] = downloads, ["CERTS"] = certs, ["QLOGDIR"] = clientQlog,
            ["REQUESTS"] = string.Join(' ', names.Select(n => $"https://127.0.0.1:{port}/{n}")),
        });
        await client.WaitForExitAsync(Timeout, ct);
        Assert.That(client.ExitCode, Is.EqualTo(0), "client failed:\n" + client.Output + "\nserver:\n" + server.Output);
        foreach (var name in names)
        {
            var downloaded = Path.Combine(downloads, name);
            Assert.That(File.Exists(downloaded), Is.True, $"{name} not downloaded:\n{client.Output}");
            Assert.That(await File.ReadAllBytesAsync(downloaded, ct), Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(www, name), ct)), name);
        }
        var connections = server.Output.Split('\n').Count(l => l.StartsWith("connection from", StringComparison.Ordinal));
        Assert.That(connections, Is.EqualTo(testCase == "multiconnect" ? names.Length : 1), "connections the server accepted");
        // QLOGDIR: a qlog trace per connection on each side, each beginning with its header record.
        var clientTraces = Directory.GetFiles(clientQlog, "*_client.sqlog");
        var serverTraces = Directory.GetFiles(serverQlog, "*_server.sqlog");
        Assert.That((clientTraces.Length, serverTraces.Length), Is.EqualTo((connections, connections)), "qlog traces per side");
        foreach (var trace in clientTraces.Concat(serverTraces))
        {
            var text = await File.ReadAllTextAsync(trace, ct);
            Assert.That(text, Does.StartWith("\u001e{\"qlog_version\":\"0.3\"").And.Contain("transport:packet_received"), trace);
        }
        if (testCase == "keyupdate") Assert.That(client.Output, Does.Contain("key update initiated"));
        Assert.That(server.HasExited, Is.False, "server exited:\n" + server.Output);
    }

    [TestCase("client")]
    [TestCase("server")]
    public async Task Unsupported_test_case_exits_127(string role, CancellationToken ct)
    {
        using var endpoint = StartEndpoint(new() { ["ROLE"] = role, ["TESTCASE"] = "zerortt" });
        await endpoint.WaitForExitAsync(Timeout, ct);
        Assert.That(endpoint.ExitCode, Is.EqualTo(127), endpoint.Output);
    }

    [Test]
    public async Task Server_completes_the_handshake_with_an_h3_client(CancellationToken ct)
    {
        var gtlsclient = InteropPeerProcess.RequireOnPath("gtlsclient");
        var certs = Directory.CreateDirectory(Path.Combine(_workDir, "certs")).FullName;
        InteropCertificate.WriteTo(certs);
        int port = InteropPeerProcess.FreeUdpPort();
        using var server = StartEndpoint(new()
        {
            ["ROLE"] = "server", ["TESTCASE"] = "handshake", ["WWW"] = _workDir, ["CERTS"] = certs, ["PORT"] = port.ToString(),
        });
        await server.WaitForOutputAsync("listening on", Timeout, ct);
        // The endpoint does not answer h3 requests: the client stops at its idle timeout.
        using var client = InteropPeerProcess.Start(gtlsclient, ["--timeout=2s", "--handshake-timeout=10s", "127.0.0.1", port.ToString(), $"https://localhost:{port}/"]);
        await client.WaitForExitAsync(Timeout, ct);
        Assert.Multiple(() =>
        {
            Assert.That(client.Output, Does.Contain("Negotiated ALPN is h3"), client.Output);
            Assert.That(server.Output, Does.Contain("alpn=h3"), server.Output);
            Assert.That(client.Output, Does.Contain("Ordered STREAM data stream_id=0x3"), "our control stream reached ngtcp2");
        });
    }

    private static InteropPeerProcess StartEndpoint(Dictionary<string, string> environment)
    {
        // The endpoint's build output sits next to ours: .../RtcClient.Interop.Endpoint/bin/<config>/<tfm>/.
        var testDir = TestContext.CurrentContext.TestDirectory;
        var endpoint = Path.Combine(testDir.Replace("RtcClient.Quic.Tests", "RtcClient.Interop.Endpoint", StringComparison.Ordinal), "RtcClient.Interop.Endpoint.dll");
        if (!File.Exists(endpoint)) Assert.Fail("interop endpoint not built: " + endpoint);
        environment["SSLKEYLOGFILE"] = "";
        return InteropPeerProcess.Start("dotnet", [endpoint], environment);
    }
}
