using System.Net;
using System.Text;
using RtcClient.Http3.Tests.Connection;
using RtcClient.Http3.Tests.Loopback;

namespace RtcClient.Http3.Tests.Interop;

/// <summary>Wireshark decodes a capture of our HTTP/3 and WebTransport traffic (with our key log) without malformed frames.</summary>
[Category("Interop")]
public class TsharkInteropTests
{
    [Test]
    public async Task Tshark_DecodesOurHttp3Traffic_WithoutMalformedFrames()
    {
        using var files = new InteropFiles();
        int port = InteropFiles.FreeUdpPort();
        string pcap = Path.Combine(files.Root, "cap.pcapng");
        string keylog = Path.Combine(files.Root, "keylog.txt");
        string portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        int sentinelPort = InteropFiles.FreeUdpPort();
        string sentinelText = sentinelPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var capture = PeerProcess.Start("tshark", ["-i", "lo", "-f", "udp port " + portText + " or udp port " + sentinelText, "-a", "duration:90", "-w", pcap]))
        {
            string? started = await capture.WaitForLineAsync(l => l.Contains("Capturing on", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
            Assert.That(started, Is.Not.Null, "tshark did not start:\n" + string.Join('\n', capture.Lines));
            // "Capturing on" can come before packets are really recorded; a lost Initial would hide every key.
            await WaitUntilCapturedAsync(pcap, sentinelPort);

            var options = new Http3ServerOptions { ServerCertificate = TestCertificate.Certificate };
            options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, port));
            options.ConfigureQuic = q => q.KeyLogPath = "";
            await using (var server = new Http3Server(options, async ctx =>
            {
                if (ctx.IsWebTransportRequest)
                {
                    await WebTransportTests.EchoHandler(ctx);
                    return;
                }

                ctx.ResponseHeaders.Add(new("content-type", "text/plain"));
                ctx.ResponseTrailers.Add(new("x-trailer", "1"));
                await ctx.ResponseBody.WriteAsync(Encoding.ASCII.GetBytes("hello " + ctx.Path));
            }))
            {
                await server.StartAsync();
                var uri = new Uri($"https://127.0.0.1:{port}/");
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await using var client = await Http3ClientConnection.ConnectAsync(uri, new Http3ClientOptions
                {
                    PinnedCertificateSha256 = [TestCertificate.Sha256],
                    ConfigureQuic = q => q.KeyLogPath = keylog,
                }, cts.Token);
                for (int i = 0; i < 3; i++)
                {
                    using var r = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(uri, "/p" + i)) { Content = new StringContent("body" + i) }, cts.Token);
                    Assert.That(await r.Content.ReadAsStringAsync(cts.Token), Is.EqualTo("hello /p" + i));
                }

                var session = await client.OpenWebTransportAsync(new Uri(uri, "/wt"), cancellationToken: cts.Token);
                await WebTransportTests.ExerciseEchoAsync(session);
                await session.CloseAsync();
                await client.ShutdownAsync(cts.Token);
            }

            // Stop the capture by PID with SIGINT once a marker sent after the traffic is in the file.
            await WaitUntilCapturedAsync(pcap, sentinelPort);
            using (var stop = System.Diagnostics.Process.Start("kill", ["-INT", capture.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await stop.WaitForExitAsync();
            Assert.That(await capture.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True, "tshark did not stop");
        }

        string[] decode = ["-r", pcap, "-o", "tls.keylog_file:" + keylog, "-d", "udp.port==" + portText + ",quic"];
        var frames = await RunAsync([.. decode, "-Y", "http3", "-T", "fields", "-e", "http3.frame_type"]);
        var types = frames.SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet();
        Assert.That(types, Does.Contain("0x0000000000000004").Or.Contain("0x04").Or.Contain("4"), "SETTINGS decoded: " + string.Join(' ', types));
        Assert.That(types, Does.Contain("0x0000000000000001").Or.Contain("0x01").Or.Contain("1"), "HEADERS decoded: " + string.Join(' ', types));
        var datagrams = await RunAsync([.. decode, "-Y", "quic.dg", "-T", "fields", "-e", "quic.dg.length"]);
        Assert.That(datagrams, Is.Not.Empty, "QUIC DATAGRAM frames decoded");
        var malformed = await RunAsync([.. decode, "-Y", "_ws.malformed || _ws.expert.severity == error"]);
        Assert.That(malformed, Is.Empty, "malformed packets:\n" + string.Join('\n', malformed.Take(20)));
    }

    /// <summary>Sends marker datagrams until the capture file holds one: the capture is live and has written all earlier packets.</summary>
    private static async Task WaitUntilCapturedAsync(string pcap, int sentinelPort)
    {
        var marker = Encoding.ASCII.GetBytes("rtcclient-h3-capture-" + Guid.NewGuid().ToString("N"));
        using var udp = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        for (int attempt = 0; attempt < 300; attempt++)
        {
            await udp.SendAsync(marker, new IPEndPoint(IPAddress.Loopback, sentinelPort));
            await Task.Delay(100);
            if (!File.Exists(pcap)) continue;
            await using var file = new FileStream(pcap, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var contents = new MemoryStream();
            await file.CopyToAsync(contents);
            if (contents.GetBuffer().AsSpan(0, (int)contents.Length).IndexOf(marker) >= 0) return;
        }
        Assert.Fail("the capture never recorded the marker datagram");
    }

    private static async Task<List<string>> RunAsync(string[] args)
    {
        using var p = PeerProcess.Start("tshark", args);
        Assert.That(await p.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, "tshark decode timed out");
        await Task.Delay(100);
        return p.Lines.Where(l => !string.IsNullOrWhiteSpace(l) && !l.StartsWith("Running as user", StringComparison.Ordinal)).ToList();
    }
}
