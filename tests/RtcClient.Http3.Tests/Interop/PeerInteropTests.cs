using System.Net;
using RtcClient.Http3.Tests.Connection;
using RtcClient.Http3.Tests.Loopback;

namespace RtcClient.Http3.Tests.Interop;

/// <summary>HTTP/3 and WebTransport against ngtcp2, Caddy (quic-go) and quic-go's wtpeer, all on 127.0.0.1.</summary>
[Category("Interop")]
public class PeerInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static Http3ClientOptions ClientOptions => new()
    {
        PinnedCertificateSha256 = [TestCertificate.Sha256],
        ConfigureQuic = q => q.KeyLogPath = "",
    };

    [Test]
    public async Task Ngtcp2Client_DownloadsFromOurServer()
    {
        using var files = new InteropFiles();
        var options = new Http3ServerOptions { ServerCertificate = TestCertificate.Certificate };
        options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        options.ConfigureQuic = q => q.KeyLogPath = "";
        await using var server = new Http3Server(options, ctx => InteropFiles.ServeFileAsync(ctx, files.Www));
        await server.StartAsync();
        int port = server.LocalEndPoints[0].Port;
        var args = new List<string> { "--exit-on-all-streams-close", "--no-quic-dump", "--no-http-dump", "--download=" + files.Downloads, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        args.AddRange(InteropFiles.Files.Select(f => $"https://127.0.0.1:{port}/{f.Name}"));
        using var client = PeerProcess.Start("gtlsclient", args);
        bool exited = await client.WaitForExitAsync(Timeout);
        string log = string.Join('\n', client.Lines.TakeLast(30));
        Assert.That(exited, Is.True, "gtlsclient did not finish:\n" + log);
        foreach (var (name, _) in InteropFiles.Files)
        {
            string got = Path.Combine(files.Downloads, name);
            Assert.That(File.Exists(got), Is.True, $"{name} not downloaded:\n" + log);
            Assert.That(InteropFiles.Sha256Of(got), Is.EqualTo(files.ExpectedSha256(name)), name);
        }
    }

    [Test]
    public async Task OurClient_DownloadsFromNgtcp2Server()
    {
        using var files = new InteropFiles();
        int port = InteropFiles.FreeUdpPort();
        string qlog = Directory.CreateDirectory(Path.Combine(files.Root, "qlog")).FullName;
        using var server = PeerProcess.Start("/usr/sbin/gtlsserver", ["-q", "-d", files.Www, "--qlog-dir=" + qlog, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), files.KeyPath, files.CertPath]);
        await Task.Delay(300); // no readiness line; QUIC retransmits the Initial anyway
        await DownloadAllAsync(new Uri($"https://127.0.0.1:{port}/"), files, server);
    }

    [Test]
    public async Task OurClient_DownloadsFromCaddy()
    {
        using var files = new InteropFiles();
        int port = InteropFiles.FreeUdpPort();
        string caddyfile = Path.Combine(files.Root, "Caddyfile");
        File.WriteAllText(caddyfile,
            "{\n\tadmin off\n\tauto_https off\n\tstorage file_system " + Path.Combine(files.Root, "caddy-data") + "\n\tservers {\n\t\tprotocols h1 h2 h3\n\t}\n}\n\n" +
            $"https://127.0.0.1:{port} {{\n\tbind 127.0.0.1\n\ttls {files.CertPath} {files.KeyPath}\n\troot * {files.Www}\n\tfile_server\n}}\n");
        using var caddy = PeerProcess.Start("caddy", ["run", "--config", caddyfile, "--adapter", "caddyfile"]);
        string? ready = await caddy.WaitForLineAsync(l => l.Contains("serving initial configuration", StringComparison.Ordinal) || l.Contains("Error", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.That(ready, Does.Contain("serving initial configuration"), string.Join('\n', caddy.Lines.TakeLast(20)));
        await DownloadAllAsync(new Uri($"https://127.0.0.1:{port}/"), files, caddy);
    }

    [Test]
    public async Task OurWebTransportClient_AgainstWtpeer()
    {
        using var files = new InteropFiles();
        int port = InteropFiles.FreeUdpPort();
        using var peer = PeerProcess.Start(InteropFiles.GoPeer("wtpeer"), ["-addr", $"127.0.0.1:{port}", "-cert", files.CertPath, "-key", files.KeyPath, "-d", files.Www]);
        string? ready = await peer.WaitForLineAsync(l => l.Contains("WebTransport echo server", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.That(ready, Is.Not.Null, string.Join('\n', peer.Lines));
        using var cts = new CancellationTokenSource(Timeout);
        var uri = new Uri($"https://127.0.0.1:{port}/wt");
        await using var client = await Http3ClientConnection.ConnectAsync(uri, ClientOptions, cts.Token);
        var session = await client.OpenWebTransportAsync(uri, cancellationToken: cts.Token);
        try
        {
            await WebTransportTests.ExerciseEchoAsync(session);
        }
        catch (Exception e)
        {
            Assert.Fail(e + "\n" + string.Join('\n', peer.Lines.TakeLast(20)));
        }

        await session.CloseAsync();
    }

    private static async Task DownloadAllAsync(Uri baseUri, InteropFiles files, PeerProcess peer)
    {
        using var cts = new CancellationTokenSource(Timeout);
        Http3ClientConnection client;
        try
        {
            client = await Http3ClientConnection.ConnectAsync(baseUri, ClientOptions, cts.Token);
        }
        catch (Exception e)
        {
            Assert.Fail($"connect failed: {e.Message}\n" + string.Join('\n', peer.Lines.TakeLast(20)));
            return;
        }

        await using (client)
        {
            foreach (var (name, size) in InteropFiles.Files)
            {
                using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, name)), cts.Token);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), name);
                byte[] body = await response.Content.ReadAsByteArrayAsync(cts.Token);
                Assert.That(body, Has.Length.EqualTo(size), name);
                string path = Path.Combine(files.Downloads, name);
                await File.WriteAllBytesAsync(path, body, cts.Token);
                Assert.That(InteropFiles.Sha256Of(path), Is.EqualTo(files.ExpectedSha256(name)), name);
            }
        }

    }
}
