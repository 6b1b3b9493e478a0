using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace RtcClient.Quic.Tests.Interop;

/// <summary>
/// Our client and server against quic-go (qpeer, ALPN dgram-echo) on loopback: a 10 MB bidirectional
/// stream echoed with matching SHA-256 and 1000 datagrams of 200 bytes echoed (loss allowed, counted).
/// </summary>
[Category("Interop")]
[NonParallelizable]
[CancelAfter(120_000)]
public partial class QuicGoInteropTests
{
    private const string Alpn = "dgram-echo";
    private const int StreamBytes = 10_000_000;
    private const int DatagramCount = 1000;
    // Loopback loses little; quic-go drops datagrams when its queue is full, so allow some loss.
    private const int DatagramFloor = 900;
    // What quic-go's client reads back of our echoes (see Quic_go_client_against_our_server).
    private const int QuicGoReceiveFloor = 500;
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(60);

    private string _workDir = "";

    [SetUp]
    public void CreateWorkDir() => _workDir = Directory.CreateTempSubdirectory("qpeer-").FullName;

    [TearDown]
    public void DeleteWorkDir() => Directory.Delete(_workDir, recursive: true);

    [Test]
    public async Task Our_client_against_quic_go_server(CancellationToken ct)
    {
        var qpeer = InteropPeerProcess.RequireGoPeer("qpeer");
        var cert = InteropCertificate.WriteTo(_workDir);
        int port = InteropPeerProcess.FreeUdpPort();
        using var server = InteropPeerProcess.Start(qpeer, ["-mode", "server", "-addr", $"127.0.0.1:{port}", "-cert", cert.CertificatePath, "-key", cert.KeyPath]);
        await server.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(10), ct);

        await using var connection = await QuicConnection.ConnectAsync(new QuicClientConnectionOptions
        {
            RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, port),
            ServerName = "localhost",
            ApplicationProtocols = [Alpn],
            PinnedCertificateSha256 = [cert.Sha256],
            KeyLogPath = "",
        }, ct);
        Assert.That(connection.NegotiatedApplicationProtocol, Is.EqualTo(Alpn));

        int echoed = await EchoDatagramsAsync(connection, ct);
        TestContext.Out.WriteLine($"datagrams echoed by quic-go: {echoed}/{DatagramCount}");
        Assert.That(echoed, Is.GreaterThanOrEqualTo(DatagramFloor), "datagrams echoed by quic-go");

        var (sent, received, receivedLength) = await EchoStreamAsync(connection, ct);
        Assert.That(receivedLength, Is.EqualTo(StreamBytes), "echoed stream length");
        Assert.That(Convert.ToHexString(received), Is.EqualTo(Convert.ToHexString(sent)), "SHA-256 of the echoed stream");

        await connection.CloseAsync(0, ct);
        Assert.That(server.HasExited, Is.False, "quic-go server crashed:\n" + server.Output);
    }

    [Test]
    public async Task Quic_go_client_against_our_server(CancellationToken ct)
    {
        var qpeer = InteropPeerProcess.RequireGoPeer("qpeer");
        var cert = InteropCertificate.WriteTo(_workDir);
        await using var listener = await QuicListener.ListenAsync(new QuicListenerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ApplicationProtocols = [Alpn],
            ConnectionOptions = new QuicServerConnectionOptions { ApplicationProtocols = [Alpn], ServerCertificate = cert.Certificate, KeyLogPath = "" },
        }, ct);
        using var client = InteropPeerProcess.Start(qpeer, ["-mode", "client", "-addr", $"127.0.0.1:{listener.LocalEndPoint.Port}", "-dgrams", DatagramCount.ToString(), "-bytes", StreamBytes.ToString()]);

        await using var connection = await listener.AcceptConnectionAsync(ct);
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var datagramEcho = EchoDatagramsBackAsync(connection, serving.Token);
        var streamEcho = EchoOneStreamBackAsync(connection, ct);

        await client.WaitForExitAsync(PeerTimeout, ct);
        await serving.CancelAsync();
        await streamEcho;
        await Task.WhenAny(datagramEcho);
        var output = client.Output;
        Assert.That(client.ExitCode, Is.EqualTo(0), "quic-go client failed:\n" + output);

        var datagrams = DatagramLine().Match(output);
        Assert.That(datagrams.Success, Is.True, "no datagram result from quic-go:\n" + output);
        int echoed = int.Parse(datagrams.Groups[1].Value);
        var ours = connection.GetStatistics();
        TestContext.Out.WriteLine($"datagrams back at quic-go: {echoed}/{DatagramCount}; our server received {ours.DatagramsReceived} and sent {ours.DatagramsSent}");
        Assert.Multiple(() =>
        {
            Assert.That(ours.DatagramsReceived, Is.GreaterThanOrEqualTo(DatagramFloor), "datagrams from quic-go that reached our server");
            Assert.That(ours.DatagramsSent, Is.EqualTo(ours.DatagramsReceived), "our server echoed every datagram it received");
            // quic-go 0.29 drops received datagrams beyond its 128-entry queue when its reading goroutine is
            // starved; on this shared 2-core machine 613-1000 of 1000 came back, with and without our pacing.
            Assert.That(echoed, Is.GreaterThanOrEqualTo(QuicGoReceiveFloor), "echoes read by quic-go");
        });

        var stream = StreamLine().Match(output);
        Assert.That(stream.Success, Is.True, "no stream result from quic-go:\n" + output);
        Assert.Multiple(() =>
        {
            Assert.That(stream.Groups["received"].Value, Is.EqualTo(StreamBytes.ToString()), "bytes echoed by our server");
            Assert.That(stream.Groups["rxhash"].Value, Is.EqualTo(stream.Groups["txhash"].Value), "SHA-256 of the echoed stream");
        });
    }

    /// <summary>Sends 1000 datagrams of 200 bytes (briefly yielding every 32) and counts distinct echoes.</summary>
    internal static async Task<int> EchoDatagramsAsync(QuicConnection connection, CancellationToken ct)
    {
        var seen = new bool[DatagramCount];
        int count = 0;
        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[2048];
            try
            {
                while (count < DatagramCount)
                {
                    int n = await connection.ReadDatagramAsync(buffer, window.Token);
                    if (n != 200) continue;
                    int index = BitConverter.ToInt32(buffer, 0);
                    if (index is >= 0 and < DatagramCount && !seen[index])
                    {
                        seen[index] = true;
                        count++;
                    }
                }
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested)
            {
                // the echo window closed: what came back is counted
            }
        }, ct);
        var payload = new byte[200];
        for (int i = 0; i < DatagramCount; i++)
        {
            BitConverter.TryWriteBytes(payload, i);
            Assert.That(connection.SendDatagram(payload), Is.EqualTo(DatagramSendResult.Queued), $"datagram {i}");
            if (i % 32 == 31) await Task.Delay(1, ct);
        }
        window.CancelAfter(TimeSpan.FromSeconds(3));
        await reader;
        return count;
    }

    /// <summary>Writes 10 MB of random bytes on a new bidirectional stream while hashing what is echoed.</summary>
    private static async Task<(byte[] Sent, byte[] Received, long ReceivedLength)> EchoStreamAsync(QuicConnection connection, CancellationToken ct)
    {
        var data = RandomNumberGenerator.GetBytes(StreamBytes);
        await using var stream = await connection.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, ct);
        var write = Task.Run(async () =>
        {
            for (int offset = 0; offset < data.Length; offset += 64 * 1024)
            {
                int length = Math.Min(64 * 1024, data.Length - offset);
                await stream.WriteAsync(data.AsMemory(offset, length), completeWrites: offset + length == data.Length, ct);
            }
        }, ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            total += n;
        }
        await write;
        return (SHA256.HashData(data), hash.GetHashAndReset(), total);
    }

    private static async Task EchoDatagramsBackAsync(QuicConnection connection, CancellationToken ct)
    {
        var buffer = new byte[65535];
        try
        {
            while (true)
            {
                int n = await connection.ReadDatagramAsync(buffer, ct);
                connection.SendDatagram(buffer.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or QuicException)
        {
            // the peer closed or the test ended
        }
    }

    private static async Task EchoOneStreamBackAsync(QuicConnection connection, CancellationToken ct)
    {
        await using var stream = await connection.AcceptInboundStreamAsync(ct);
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0)
            await stream.WriteAsync(buffer.AsMemory(0, n), ct);
        stream.CompleteWrites();
        try
        {
            await stream.WritesClosed.WaitAsync(ct);
        }
        catch (QuicException e) when (e.ApplicationErrorCode == 0)
        {
            // quic-go may close ("bye", code 0) as soon as it has every byte, before its last ACK
            // reaches us; the client's SHA-256 line is what proves the echo.
        }
    }

    [GeneratedRegex(@"datagrams sent=\d+ received=(\d+)")]
    private static partial Regex DatagramLine();

    [GeneratedRegex(@"stream sent=\d+ sha256=(?<txhash>[0-9a-f]+) received=(?<received>\d+) sha256=(?<rxhash>[0-9a-f]+)")]
    private static partial Regex StreamLine();
}
