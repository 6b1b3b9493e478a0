using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic;

namespace RtcClient.Benchmarks.Quic;

/// <summary>
/// Scenario benchmarks over real UDP on 127.0.0.1 (not BenchmarkDotNet: they measure throughput of a
/// whole client and server). `quic-bulk`: one-way stream upload and a stream echo with our client and
/// server, then the same work with quic-go (qpeer) and ngtcp2 (gtlsclient/gtlsserver) when installed.
/// `quic-dgram`: 200-byte datagrams sent and received per second.
/// </summary>
internal static class QuicLoopbackScenarios
{
    private const int UploadBytes = 200_000_000;
    private const int EchoBytes = 50_000_000;
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(string mode)
    {
        using var cert = CreateCertificate();
        var work = Directory.CreateTempSubdirectory("quic-bench-").FullName;
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformationLine()}");
            if (mode == "quic-dgram")
            {
                await DatagramRateAsync(cert);
                return 0;
            }
            await OursUploadAsync(cert);
            await OursEchoAsync(cert);
            await QuicGoEchoAsync(cert, work);
            await Ngtcp2DownloadAsync(cert, work);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string RuntimeInformationLine() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    /// <summary>A self-signed P-256 certificate for localhost and 127.0.0.1.</summary>
    internal static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
    }

    private static async Task<(QuicListener Listener, QuicConnection Client, QuicConnection Server)> ConnectAsync(X509Certificate2 cert, string alpn)
    {
        var listener = await QuicListener.ListenAsync(new QuicListenerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ApplicationProtocols = [alpn],
            ConnectionOptions = new QuicServerConnectionOptions { ApplicationProtocols = [alpn], ServerCertificate = cert, KeyLogPath = "" },
        });
        var accept = listener.AcceptConnectionAsync().AsTask();
        var client = await QuicConnection.ConnectAsync(new QuicClientConnectionOptions
        {
            RemoteEndPoint = listener.LocalEndPoint,
            ServerName = "localhost",
            ApplicationProtocols = [alpn],
            PinnedCertificateSha256 = [SHA256.HashData(cert.RawData)],
            KeyLogPath = "",
        });
        return (listener, client, await accept);
    }

    private static void Report(string name, long bytes, TimeSpan elapsed) =>
        Console.WriteLine($"{name,-44} {bytes / 1e6,8:F0} MB in {elapsed.TotalSeconds,6:F2} s = {bytes * 8 / elapsed.TotalSeconds / 1e6,7:F0} Mbit/s");

    private static async Task OursUploadAsync(X509Certificate2 cert)
    {
        var (listener, client, server) = await ConnectAsync(cert, "bench");
        await using (listener)
        await using (client)
        await using (server)
        {
            var chunk = new byte[64 * 1024];
            RandomNumberGenerator.Fill(chunk);
            var watch = Stopwatch.StartNew();
            var receive = Task.Run(async () =>
            {
                await using var inbound = await server.AcceptInboundStreamAsync();
                var buffer = new byte[256 * 1024];
                long total = 0;
                int n;
                while ((n = await inbound.ReadAsync(buffer)) > 0) total += n;
                return total;
            });
            await using var stream = await client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
            for (long sent = 0; sent < UploadBytes; sent += chunk.Length)
                await stream.WriteAsync(chunk, completeWrites: sent + chunk.Length >= UploadBytes);
            long received = await receive;
            watch.Stop();
            Report("ours: client -> server upload", received, watch.Elapsed);
            var stats = client.GetStatistics();
            Console.WriteLine($"  client: {stats.PacketsSent} packets sent, {stats.PacketsLost} lost, cwnd {stats.CongestionWindow}, srtt {stats.SmoothedRtt.TotalMilliseconds:F2} ms");
        }
    }

    private static async Task OursEchoAsync(X509Certificate2 cert)
    {
        var (listener, client, server) = await ConnectAsync(cert, "bench");
        await using (listener)
        await using (client)
        await using (server)
        {
            var data = RandomNumberGenerator.GetBytes(EchoBytes);
            var watch = Stopwatch.StartNew();
            var echo = Task.Run(async () =>
            {
                await using var inbound = await server.AcceptInboundStreamAsync();
                var buffer = new byte[64 * 1024];
                int n;
                while ((n = await inbound.ReadAsync(buffer)) > 0) await inbound.WriteAsync(buffer.AsMemory(0, n));
                inbound.CompleteWrites();
            });
            await using var stream = await client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional);
            var write = Task.Run(async () =>
            {
                for (int offset = 0; offset < data.Length; offset += 64 * 1024)
                    await stream.WriteAsync(data.AsMemory(offset, Math.Min(64 * 1024, data.Length - offset)), completeWrites: offset + 64 * 1024 >= data.Length);
            });
            var buffer = new byte[256 * 1024];
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0) total += read;
            await write;
            await echo;
            watch.Stop();
            Report($"ours: {EchoBytes / 1_000_000} MB echo (bytes each way)", total, watch.Elapsed);
        }
    }

    private static string? Find(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "interop-bin", name);
            if (File.Exists(candidate)) return candidate;
        }
        foreach (var dir in new[] { "/usr/bin", "/usr/sbin" })
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        Console.WriteLine($"{name}: not installed (native/install-deps.sh), skipped");
        return null;
    }

    private static async Task<(TimeSpan Elapsed, string Output, int ExitCode)> RunAsync(string binary, params string[] arguments)
    {
        var psi = new ProcessStartInfo(binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PeerTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{binary} did not finish within {PeerTimeout}");
        }
        watch.Stop();
        return (watch.Elapsed, await stdout + await stderr, process.ExitCode);
    }

    private static Process StartServer(string binary, params string[] arguments) =>
        Process.Start(new ProcessStartInfo(binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;

    private static void Stop(Process server)
    {
        if (!server.HasExited) server.Kill(entireProcessTree: true);
        server.WaitForExit(5000);
        server.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static (string Cert, string Key) WritePem(X509Certificate2 cert, string dir)
    {
        var certPath = Path.Combine(dir, "cert.pem");
        var keyPath = Path.Combine(dir, "priv.key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        using var key = cert.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    /// <summary>quic-go client and server (qpeer) echoing the same number of bytes; wall time includes process start and handshake.</summary>
    private static async Task QuicGoEchoAsync(X509Certificate2 cert, string work)
    {
        if (Find("qpeer") is not { } qpeer) return;
        var (certPath, keyPath) = WritePem(cert, work);
        int port = FreePort();
        var server = StartServer(qpeer, "-mode", "server", "-addr", $"127.0.0.1:{port}", "-cert", certPath, "-key", keyPath);
        try
        {
            await Task.Delay(300); // the Go runtime starts; the client retries its Initial anyway
            var (elapsed, output, code) = await RunAsync(qpeer, "-mode", "client", "-addr", $"127.0.0.1:{port}", "-bytes", EchoBytes.ToString());
            if (code != 0 || !output.Contains($"received={EchoBytes}", StringComparison.Ordinal)) Console.WriteLine("quic-go echo failed: " + output);
            else Report($"quic-go: {EchoBytes / 1_000_000} MB echo (bytes each way)", EchoBytes, elapsed);
        }
        finally
        {
            Stop(server);
        }
    }

    /// <summary>ngtcp2 (GnuTLS) client downloading a file from the ngtcp2 server; wall time includes process start and handshake.</summary>
    private static async Task Ngtcp2DownloadAsync(X509Certificate2 cert, string work)
    {
        if (Find("gtlsserver") is not { } gtlsserver || Find("gtlsclient") is not { } gtlsclient) return;
        var (certPath, keyPath) = WritePem(cert, work);
        var www = Directory.CreateDirectory(Path.Combine(work, "www")).FullName;
        var downloads = Directory.CreateDirectory(Path.Combine(work, "dl")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(www, "bulk.bin"), RandomNumberGenerator.GetBytes(UploadBytes));
        int port = FreePort();
        var server = StartServer(gtlsserver, "-q", "-d", www, "127.0.0.1", port.ToString(), keyPath, certPath);
        try
        {
            await Task.Delay(300);
            var (elapsed, output, _) = await RunAsync(gtlsclient, "-q", "--exit-on-all-streams-close", $"--download={downloads}", "127.0.0.1", port.ToString(), $"https://localhost:{port}/bulk.bin");
            var file = new FileInfo(Path.Combine(downloads, "bulk.bin"));
            if (!file.Exists || file.Length != UploadBytes) Console.WriteLine("ngtcp2 download failed: " + output);
            else Report("ngtcp2: server -> client download (h3)", file.Length, elapsed);
        }
        finally
        {
            Stop(server);
        }
    }

    /// <summary>200-byte datagrams from our client to our server for a few seconds: sent/s and received/s.</summary>
    private static async Task DatagramRateAsync(X509Certificate2 cert)
    {
        var (listener, client, server) = await ConnectAsync(cert, "bench");
        await using (listener)
        await using (client)
        await using (server)
        {
            var duration = TimeSpan.FromSeconds(5);
            long received = 0;
            using var stop = new CancellationTokenSource();
            var receiver = Task.Run(async () =>
            {
                var buffer = new byte[2048];
                try
                {
                    while (true)
                    {
                        await server.ReadDatagramAsync(buffer, stop.Token);
                        received++;
                    }
                }
                catch (OperationCanceledException)
                {
                    // measurement over
                }
            });
            var payload = new byte[200];
            long sent = 0, full = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                var result = client.SendDatagram(payload);
                if (result == DatagramSendResult.Queued) sent++;
                else if (result == DatagramSendResult.QueueFull)
                {
                    // The send queue drains as the driver flushes; spinning would starve it on 2 cores.
                    full++;
                    await Task.Delay(1);
                }
                else throw new InvalidOperationException("datagram refused: " + result);
            }
            var elapsed = watch.Elapsed;
            await Task.Delay(200); // the last datagrams in flight
            long receivedInTime = Interlocked.Read(ref received);
            await stop.CancelAsync();
            await receiver;
            var stats = client.GetStatistics();
            Console.WriteLine($"ours: 200-byte datagrams: sent {sent / elapsed.TotalSeconds,9:F0}/s, received {receivedInTime / elapsed.TotalSeconds,9:F0}/s ({receivedInTime}/{sent}, queue full {full} times, {stats.PacketsSent} packets sent)");
        }
    }
}
