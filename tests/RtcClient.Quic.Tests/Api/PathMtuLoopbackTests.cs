using System.Net;
using RtcClient.Quic.Driver;

namespace RtcClient.Quic.Tests.Api;

/// <summary>RFC 9000 section 14 on real sockets: Don't Fragment set; datagrams start at 1200 and DPLPMTUD grows them.</summary>
[CancelAfter(30_000)]
public class PathMtuLoopbackTests
{
    [Test]
    public async Task Client_and_server_sockets_set_dont_fragment([Values] bool ipv6, CancellationToken ct)
    {
        var address = ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        await using var pair = await LoopbackPair.ConnectAsync(ct, address: address);
        Assert.Multiple(() =>
        {
            Assert.That(PathMtuSocketOptions.GetMode(pair.Listener.Driver.Socket), Is.EqualTo(PathMtuSocketOptions.PmtuDiscProbe), "server: IP(V6)_PMTUDISC_PROBE");
            Assert.That(PathMtuSocketOptions.GetMode(pair.Client.Driver.Driver.Socket), Is.EqualTo(PathMtuSocketOptions.PmtuDiscProbe), "client: IP(V6)_PMTUDISC_PROBE");
        });
    }

    [Test]
    public async Task Loopback_datagrams_grow_from_1200_to_the_local_limit(CancellationToken ct)
    {
        await using var pair = await LoopbackPair.ConnectAsync(ct);
        var payload = new byte[200_000];
        var receive = Task.Run(async () =>
        {
            await using var inbound = await pair.Server.AcceptInboundStreamAsync(ct);
            await inbound.CopyToAsync(Stream.Null, ct);
        }, ct);
        await using (var stream = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Unidirectional, ct))
        {
            await stream.WriteAsync(payload, completeWrites: true, ct);
        }
        await receive;
        // The probe goes once the handshake is confirmed; wait (bounded) for its acknowledgment.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pair.Client.GetStatistics().MaxDatagramSize < 8192 && DateTime.UtcNow < deadline) await Task.Delay(10, ct);
        var client = pair.Client.GetStatistics();
        var server = pair.Server.GetStatistics();
        TestContext.Out.WriteLine($"client {client}; server {server}");
        Assert.Multiple(() =>
        {
            Assert.That(client.MaxDatagramSize, Is.EqualTo(8192), "loopback carries the local limit");
            Assert.That(client.PathMtuProbesSent, Is.GreaterThanOrEqualTo(1));
            Assert.That(client.PathMtuProbesLost, Is.Zero);
            Assert.That(pair.Client.MaxDatagramPayloadSize, Is.GreaterThan(8000), "larger datagrams fit once the path is known");
        });
    }
}
