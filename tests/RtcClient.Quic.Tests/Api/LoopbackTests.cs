using System.Security.Cryptography;

namespace RtcClient.Quic.Tests.Api;

/// <summary>Our client and our server over real UDP sockets on loopback.</summary>
[CancelAfter(30_000)]
public class LoopbackTests
{
    [Test]
    public async Task Handshake_and_bidirectional_stream_echo(CancellationToken ct)
    {
        await using var pair = await LoopbackPair.ConnectAsync(ct);
        Assert.Multiple(() =>
        {
            Assert.That(pair.Client.NegotiatedApplicationProtocol, Is.EqualTo("test"));
            Assert.That(pair.Server.NegotiatedApplicationProtocol, Is.EqualTo("test"));
            Assert.That(pair.Client.RemoteCertificate, Is.Not.Null);
        });
        var payload = RandomNumberGenerator.GetBytes(300_000);
        var serverSide = Task.Run(async () =>
        {
            await using var stream = await pair.Server.AcceptInboundStreamAsync(ct);
            var received = new MemoryStream();
            await stream.CopyToAsync(received, ct);
            await stream.WriteAsync(received.ToArray(), completeWrites: true, ct);
            await stream.WritesClosed.WaitAsync(ct);
        }, ct);
        await using var client = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, ct);
        var write = client.WriteAsync(payload, completeWrites: true, ct).AsTask();
        var echo = new MemoryStream();
        await client.CopyToAsync(echo, ct);
        await write;
        await serverSide;
        Assert.That(echo.ToArray(), Is.EqualTo(payload));
        await client.ReadsClosed.WaitAsync(ct);
    }

    [Test]
    public async Task Unidirectional_stream_delivers_bytes_and_fin(CancellationToken ct)
    {
        await using var pair = await LoopbackPair.ConnectAsync(ct);
        await using var stream = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Unidirectional, ct);
        Assert.Multiple(() =>
        {
            Assert.That(stream.CanRead, Is.False);
            Assert.That(stream.CanWrite, Is.True);
            Assert.That(stream.Id, Is.EqualTo(2));
        });
        await stream.WriteAsync("hello, uni"u8.ToArray(), completeWrites: true, ct);
        await using var inbound = await pair.Server.AcceptInboundStreamAsync(ct);
        Assert.That(inbound.Type, Is.EqualTo(QuicStreamType.Unidirectional));
        using var reader = new StreamReader(inbound);
        Assert.That(await reader.ReadToEndAsync(ct), Is.EqualTo("hello, uni"));
    }

    [Test]
    public async Task Datagrams_are_echoed_and_oversized_ones_refused(CancellationToken ct)
    {
        await using var pair = await LoopbackPair.ConnectAsync(ct);
        int max = pair.Client.MaxDatagramPayloadSize;
        Assert.That(max, Is.GreaterThan(1000));
        Assert.That(pair.Client.SendDatagram(new byte[max + 1]), Is.EqualTo(DatagramSendResult.TooLarge));
        var echo = Task.Run(async () =>
        {
            var buffer = new byte[65535];
            while (true)
            {
                int n = await pair.Server.ReadDatagramAsync(buffer, ct);
                pair.Server.SendDatagram(buffer.AsSpan(0, n));
            }
        }, ct);
        var received = new HashSet<int>();
        var readBuffer = new byte[65535];
        for (int i = 0; i < 100; i++)
        {
            Assert.That(pair.Client.SendDatagram(BitConverter.GetBytes(i)), Is.EqualTo(DatagramSendResult.Queued));
            if (i % 10 == 9) await Task.Delay(1, ct); // let the loopback breathe
        }
        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
        window.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            while (received.Count < 100)
            {
                int n = await pair.Client.ReadDatagramAsync(readBuffer, window.Token);
                Assert.That(n, Is.EqualTo(4));
                Assert.That(received.Add(BitConverter.ToInt32(readBuffer)), Is.True, "no duplicates");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        Assert.That(received, Has.Count.GreaterThanOrEqualTo(95), "datagrams are unreliable, but loopback loses few");
        var stats = pair.Client.GetStatistics();
        Assert.That(stats.DatagramsSent, Is.EqualTo(100));
        _ = echo;
    }

    [Test]
    public async Task Close_with_code_reaches_the_peer(CancellationToken ct)
    {
        await using var pair = await LoopbackPair.ConnectAsync(ct);
        var accept = pair.Server.AcceptInboundStreamAsync(ct).AsTask();
        await pair.Client.CloseAsync(0x77, ct);
        var e = Assert.ThrowsAsync<QuicException>(async () => await accept);
        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(QuicError.ConnectionAborted));
            Assert.That(e.ApplicationErrorCode, Is.EqualTo(0x77));
        });
        await pair.Server.Closed.WaitAsync(ct);
        await pair.Client.Closed.WaitAsync(ct);
        var afterClose = Assert.ThrowsAsync<QuicException>(async () => await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, ct));
        Assert.That(afterClose!.Error, Is.EqualTo(QuicError.OperationAborted));
    }

    [Test]
    public async Task Connecting_to_nobody_times_out_with_a_quic_exception(CancellationToken ct)
    {
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        silent.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.ThrowsAsync<QuicException>(async () => await QuicConnection.ConnectAsync(new QuicClientConnectionOptions
        {
            RemoteEndPoint = (System.Net.IPEndPoint)silent.LocalEndPoint!,
            ServerName = "localhost",
            ApplicationProtocols = ["test"],
            HandshakeTimeout = TimeSpan.FromSeconds(1),
            KeyLogPath = "",
        }, ct));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Error, Is.EqualTo(QuicError.ConnectionTimeout));
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task Wrong_pinned_certificate_fails_the_handshake(CancellationToken ct)
    {
        var e = Assert.ThrowsAsync<QuicException>(async () =>
            await LoopbackPair.ConnectAsync(ct, o => o.PinnedCertificateSha256 = [new byte[32]]));
        Assert.That(e!.Error, Is.EqualTo(QuicError.HandshakeFailed));
        Assert.That(e.TransportErrorCode, Is.InRange(0x100, 0x1ff), "CRYPTO_ERROR carries the TLS alert");
        await Task.CompletedTask;
    }

    [Test]
    public async Task No_common_alpn_fails_the_handshake_with_no_application_protocol(CancellationToken ct)
    {
        var e = Assert.ThrowsAsync<QuicException>(async () =>
            await LoopbackPair.ConnectAsync(ct, o => o.ApplicationProtocols = ["other"]));
        Assert.That(e!.Error, Is.EqualTo(QuicError.HandshakeFailed));
        Assert.That(e.TransportErrorCode, Is.EqualTo(0x100 + 120), "no_application_protocol");
        await Task.CompletedTask;
    }
}
