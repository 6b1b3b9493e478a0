using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;

namespace RtcClient.Quic.Tests.Interop;

/// <summary>
/// Wireshark decodes a loopback capture of our client talking to our server, decrypted with our
/// SSLKEYLOGFILE output: every packet decrypts, frames decode, and nothing is flagged malformed.
/// </summary>
[Category("Interop")]
[NonParallelizable]
[CancelAfter(90_000)]
public class TsharkCaptureTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);
    private string _workDir = "";

    [SetUp]
    public void CreateWorkDir() => _workDir = Directory.CreateTempSubdirectory("tshark-").FullName;

    [TearDown]
    public void DeleteWorkDir() => Directory.Delete(_workDir, recursive: true);

    [Test]
    public async Task Capture_of_our_traffic_decodes_without_malformed_packets(CancellationToken ct)
    {
        var tshark = InteropPeerProcess.RequireOnPath("tshark");
        var cert = InteropCertificate.WriteTo(_workDir);
        var keyLog = Path.Combine(_workDir, "keylog.txt");
        var capture = Path.Combine(_workDir, "quic.pcapng");
        await using var listener = await QuicListener.ListenAsync(new QuicListenerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ApplicationProtocols = ["test"],
            ConnectionOptions = new QuicServerConnectionOptions { ApplicationProtocols = ["test"], ServerCertificate = cert.Certificate, KeyLogPath = keyLog },
        }, ct);
        int port = listener.LocalEndPoint.Port;
        int sentinelPort = InteropPeerProcess.FreeUdpPort();

        using (var capturing = InteropPeerProcess.Start(tshark, ["-i", "lo", "-f", $"udp port {port} or udp port {sentinelPort}", "-a", "duration:60", "-w", capture]))
        {
            await capturing.WaitForOutputAsync("Capturing on", ToolTimeout, ct);
            // "Capturing on" can come before packets are really recorded: wait until a marker is.
            await WaitUntilCapturedAsync(capture, sentinelPort, ct);
            await RunTrafficAsync(listener, cert, ct);
            await WaitUntilCapturedAsync(capture, sentinelPort, ct);
            // Stop by PID with SIGINT so tshark finishes the file.
            using (var stop = Process.Start("kill", ["-INT", capturing.ProcessId.ToString()]))
                await stop.WaitForExitAsync(ct);
            await capturing.WaitForExitAsync(ToolTimeout, ct);
        }

        var decode = new[] { "-r", capture, "-o", $"tls.keylog_file:{keyLog}", "-d", $"udp.port=={port},quic" };
        string ours = $"udp.port == {port}";
        string all = await RunToolAsync(tshark, [.. decode, "-Y", ours, "-T", "fields", "-e", "frame.number", "-e", "quic.packet_length"], ct);
        string malformed = await RunToolAsync(tshark, [.. decode, "-Y", ours + " && (_ws.malformed || _ws.expert.severity >= \"Error\" || quic.decryption_failed)"], ct);
        string streams = await RunToolAsync(tshark, [.. decode, "-Y", "quic.stream.stream_id", "-T", "fields", "-e", "quic.stream.stream_id"], ct);
        string datagrams = await RunToolAsync(tshark, [.. decode, "-Y", "quic.dg", "-T", "fields", "-e", "quic.dg.length"], ct);
        string closes = await RunToolAsync(tshark, [.. decode, "-Y", "quic.frame_type == 0x1d", "-T", "fields", "-e", "frame.number"], ct);
        int packets = Lines(all).Length;
        TestContext.Out.WriteLine($"{packets} packets captured; {Lines(streams).Length} with STREAM frames, {Lines(datagrams).Length} with DATAGRAM frames, {Lines(closes).Length} with CONNECTION_CLOSE");
        Assert.Multiple(() =>
        {
            // 200 kB in datagrams of up to 8 kB on loopback, plus handshake, ACKs and close.
            Assert.That(packets, Is.GreaterThan(25), "packets in the capture");
            Assert.That(malformed.Trim(), Is.Empty, "packets tshark flags as malformed or undecryptable");
            Assert.That(Lines(streams), Is.Not.Empty, "decrypted STREAM frames");
            Assert.That(Lines(datagrams), Is.Not.Empty, "decrypted DATAGRAM frames");
            Assert.That(Lines(closes), Is.Not.Empty, "decrypted application CONNECTION_CLOSE");
        });
    }

    private static async Task RunTrafficAsync(QuicListener listener, InteropCertificate cert, CancellationToken ct)
    {
        var accept = listener.AcceptConnectionAsync(ct).AsTask();
        await using var client = await QuicConnection.ConnectAsync(new QuicClientConnectionOptions
        {
            RemoteEndPoint = listener.LocalEndPoint,
            ServerName = "localhost",
            ApplicationProtocols = ["test"],
            PinnedCertificateSha256 = [cert.Sha256],
            KeyLogPath = "",
        }, ct);
        await using var server = await accept;
        var payload = RandomNumberGenerator.GetBytes(200_000);
        await using var stream = await client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, ct);
        await stream.WriteAsync(payload, completeWrites: true, ct);
        await using var inbound = await server.AcceptInboundStreamAsync(ct);
        var received = new MemoryStream();
        await inbound.CopyToAsync(received, ct);
        Assert.That(received.ToArray(), Is.EqualTo(payload));
        Assert.That(client.SendDatagram("datagram"u8), Is.EqualTo(DatagramSendResult.Queued));
        var buffer = new byte[100];
        int n = await server.ReadDatagramAsync(buffer, ct);
        Assert.That(buffer[..n], Is.EqualTo("datagram"u8.ToArray()));
        await client.CloseAsync(0, ct);
        await server.Closed.WaitAsync(ToolTimeout, ct);
    }

    /// <summary>
    /// Sends a marker datagram and waits until the capture file holds it, so the capture is live and
    /// every earlier packet has been written.
    /// </summary>
    private static async Task WaitUntilCapturedAsync(string capture, int sentinelPort, CancellationToken ct)
    {
        var marker = System.Text.Encoding.ASCII.GetBytes("rtcclient-capture-end-" + Guid.NewGuid().ToString("N"));
        using var udp = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var deadline = DateTime.UtcNow + ToolTimeout;
        while (true)
        {
            await udp.SendAsync(marker, new IPEndPoint(IPAddress.Loopback, sentinelPort), ct);
            await Task.Delay(100, ct);
            if (File.Exists(capture))
            {
                await using var file = new FileStream(capture, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var contents = new MemoryStream();
                await file.CopyToAsync(contents, ct);
                if (contents.ToArray().AsSpan().IndexOf(marker) >= 0) return;
            }
            if (DateTime.UtcNow > deadline) Assert.Fail("tshark did not write the capture within " + ToolTimeout);
        }
    }

    private static async Task<string> RunToolAsync(string binary, string[] arguments, CancellationToken ct)
    {
        using var tool = InteropPeerProcess.Start(binary, arguments);
        await tool.WaitForExitAsync(ToolTimeout, ct);
        Assert.That(tool.ExitCode, Is.EqualTo(0), $"{binary} {string.Join(' ', arguments)}:\n{tool.Output}");
        return string.Join('\n', Lines(tool.Output).Where(l => !l.StartsWith(" ** (tshark", StringComparison.Ordinal) && !l.StartsWith("Running as user", StringComparison.Ordinal)));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
