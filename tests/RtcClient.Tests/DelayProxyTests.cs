using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;
using RtcClient.Testing;

namespace RtcClient.Tests;

/// <summary>The simulated-latency UDP proxy used by the call benchmarks.</summary>
[CancelAfter(30_000)]
public class DelayProxyTests
{
    private static async Task<TimeSpan[]> EchoRoundTripsAsync(UdpDelayProxyOptions options, int count, CancellationToken cancellationToken)
    {
        using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var proxy = new UdpDelayProxy((IPEndPoint)echo.LocalEndPoint!, options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var echoing = Task.Run(async () =>
        {
            var buffer = new byte[2048];
            EndPoint any = new IPEndPoint(IPAddress.Any, 0);
            while (true)
            {
                var r = await echo.ReceiveFromAsync(buffer, SocketFlags.None, any, stop.Token);
                await echo.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, r.RemoteEndPoint, stop.Token);
            }
        }, CancellationToken.None);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.Connect(proxy.EndPoint);
        var rtts = new List<TimeSpan>();
        var reply = new byte[2048];
        for (int i = 0; i < count; i++)
        {
            long sent = Stopwatch.GetTimestamp();
            await client.SendAsync(BitConverter.GetBytes(i), SocketFlags.None, cancellationToken);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                int n = await client.ReceiveAsync(reply, SocketFlags.None, wait.Token);
                Assert.That(BitConverter.ToInt32(reply, 0), Is.EqualTo(i), "echo out of order");
                rtts.Add(Stopwatch.GetElapsedTime(sent));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
        }
        await stop.CancelAsync();
        try { await echoing; } catch (OperationCanceledException) { }
        return [.. rtts];
    }

    [Test]
    public async Task AddsTheConfiguredDelayInEachDirection(CancellationToken cancellationToken)
    {
        var rtts = await EchoRoundTripsAsync(new UdpDelayProxyOptions { OneWayDelay = TimeSpan.FromMilliseconds(25) }, 20, cancellationToken);
        Assert.That(rtts, Has.Length.EqualTo(20), "datagrams were lost without loss configured");
        // Never early; late only by scheduling (the machine is shared, so the upper bound is generous).
        Assert.That(rtts.Min().TotalMilliseconds, Is.GreaterThanOrEqualTo(49.5));
        Assert.That(rtts.Order().ElementAt(rtts.Length / 2).TotalMilliseconds, Is.LessThan(90));
    }

    [Test]
    public async Task DropsTheConfiguredShareOfDatagrams(CancellationToken cancellationToken)
    {
        var all = await EchoRoundTripsAsync(new UdpDelayProxyOptions { OneWayDelay = TimeSpan.FromMilliseconds(1), LossRate = 1 }, 3, cancellationToken);
        Assert.That(all, Is.Empty);
    }

    [Test]
    public async Task CallThroughTheProxyIsAnsweredAfterAtLeastTwoRoundTrips(CancellationToken cancellationToken)
    {
        await using var server = await RiptServerHost.StartAsync(new RiptServerHostOptions
        {
            Tokens = new StaticTokenValidator(new Dictionary<string, string> { ["alice-token"] = "alice", ["bob-token"] = "bob" }),
        }, cancellationToken);
        using var proxy = new UdpDelayProxy(new IPEndPoint(IPAddress.Loopback, server.Uri.Port), new UdpDelayProxyOptions { OneWayDelay = TimeSpan.FromMilliseconds(25) });
        var uri = new Uri($"https://127.0.0.1:{proxy.EndPoint.Port}/");
        await using var alice = await CallClient.ConnectAsync(new RtcClientOptions { ServerUri = uri, Token = "alice-token", Name = "alice", PinnedCertificateSha256 = [server.CertificateSha256] }, cancellationToken);
        await using var bob = await CallClient.ConnectAsync(new RtcClientOptions { ServerUri = uri, Token = "bob-token", Name = "bob", PinnedCertificateSha256 = [server.CertificateSha256] }, cancellationToken);
        bob.IncomingCall += (_, call) => _ = call.AnswerAsync(cancellationToken: cancellationToken);

        long dialed = Stopwatch.GetTimestamp();
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        var setup = Stopwatch.GetElapsedTime(dialed);

        // Request + incoming event + answer + answered event cross the 50 ms path at least twice.
        Assert.That(setup.TotalMilliseconds, Is.GreaterThanOrEqualTo(100));
        Assert.That(proxy.Forwarded, Is.GreaterThan(0));
    }
}
