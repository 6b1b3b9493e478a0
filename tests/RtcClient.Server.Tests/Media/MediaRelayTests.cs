using Microsoft.Extensions.DependencyInjection;
using RtcClient.Media;
using RtcClient.Protocol;
using RtcClient.Server.Hosting;
using RtcClient.Server.Media;
using RtcClient.Server.Negotiation;
using RtcClient.Server.Tests.Endpoints;

namespace RtcClient.Server.Tests.Media;

[CancelAfter(30_000)]
public class MediaRelayTests
{
    private sealed class Recorder : IMediaRelayObserver
    {
        public List<byte[]> Seen { get; } = [];
        public void OnForward(string fromLeg, ReadOnlySpan<byte> datagram) { lock (Seen) Seen.Add(datagram.ToArray()); }
    }

    private static async Task<(TestServer Server, CallDocument Alice, CallDocument Bob, IMediaSession AliceMedia, IMediaSession BobMedia)> AnsweredCallAsync(bool answer = true, Action<RiptServerOptions>? configure = null, TimeProvider? time = null)
    {
        var server = await TestServer.StartAsync(configure, time);
        var alice = server.Client("alice-token");
        var bob = server.Client("bob-token");
        await TestServer.RegisterAsync(bob, "bob");
        var call = await TestServer.PlaceAsync(alice, await TestServer.RegisterAsync(alice, "alice"), "bob");
        var bobLeg = server.Registry.FindLeg(call.Id)!.Peer;
        if (answer) await TestServer.PostEventAsync(bob, bobLeg.Uri, new CallEvent { Type = CallEventType.Answered });
        var transport = new LoopbackMediaTransport(server.Registry, server.Services.GetRequiredService<MediaRelay>());
        var aliceMedia = await transport.OpenAsync(new Uri(call.Uri + "/media", UriKind.Relative), "alice-token", default);
        var bobMedia = await transport.OpenAsync(new Uri(bobLeg.Uri + "/media", UriKind.Relative), "bob-token", default);
        return (server, call, bobLeg.ToDocument(), aliceMedia, bobMedia);
    }

    private static async Task<byte[]?> ReceiveAsync(IMediaSession session, TimeSpan timeout)
    {
        var buffer = new byte[2048];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            int n = await session.ReceiveAsync(buffer, cts.Token);
            return buffer[..n];
        }
        catch (OperationCanceledException) { return null; }
    }

    [Test]
    public async Task DatagramsAreForwardedToThePeersReceiveFlowUnchangedOtherwise()
    {
        var (server, _, _, aliceMedia, bobMedia) = await AnsweredCallAsync();
        await using var _ = server;
        var recorder = new Recorder();
        server.Services.GetRequiredService<MediaRelay>().Observer = recorder;
        byte[] packet = [(byte)FlowIds.AudioSend, 0x80, 0x00, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef];
        Assert.That(aliceMedia.TrySend(packet), Is.True);
        var got = await ReceiveAsync(bobMedia, TimeSpan.FromSeconds(5));
        Assert.That(got, Is.Not.Null);
        Assert.That(got![0], Is.EqualTo((byte)FlowIds.AudioReceive));
        Assert.That(got[1..], Is.EqualTo(packet[1..]), "the payload passes untouched");
        Assert.That(recorder.Seen, Has.Count.EqualTo(1));

        aliceMedia.TrySend([(byte)FlowIds.RtcpSend, 0x81, 0xc9]);
        Assert.That((await ReceiveAsync(bobMedia, TimeSpan.FromSeconds(5)))![0], Is.EqualTo((byte)FlowIds.RtcpReceive));
        bobMedia.TrySend([(byte)FlowIds.AudioSend, 1, 2, 3]);
        Assert.That((await ReceiveAsync(aliceMedia, TimeSpan.FromSeconds(5)))![0], Is.EqualTo((byte)FlowIds.AudioReceive));
    }

    [Test]
    public async Task MediaBeforeAnswerOnUnknownFlowsOrMalformedIsDroppedAndCounted()
    {
        var (server, _, _, aliceMedia, bobMedia) = await AnsweredCallAsync(answer: false);
        await using var _ = server;
        var relay = server.Services.GetRequiredService<MediaRelay>();
        aliceMedia.TrySend([(byte)FlowIds.AudioSend, 1, 2]);
        aliceMedia.TrySend([(byte)FlowIds.AudioReceive, 1, 2]);
        aliceMedia.TrySend([0xC0, 1, 2, 3, 4, 5, 6, 7, 8]);
        aliceMedia.TrySend([7]);
        Assert.That(await ReceiveAsync(bobMedia, TimeSpan.FromMilliseconds(300)), Is.Null);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (relay.Statistics.DroppedNotLive + relay.Statistics.DroppedUnknownFlow + relay.Statistics.DroppedMalformed < 4 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        // The caller has no reason to send before the answer: dropped at once, not kept for it (PendingMedia).
        Assert.That(relay.Statistics, Is.EqualTo(new MediaRelayStatistics(0, 0, 1, 1, 0, 2)));
    }

    [Test]
    public async Task TheNewestPacketsSentJustBeforeTheAnswerAreForwardedOnceAnswered()
    {
        var (server, _, bob, aliceMedia, bobMedia) = await AnsweredCallAsync(answer: false);
        await using var _ = server;
        var relay = server.Services.GetRequiredService<MediaRelay>();
        // The callee sends from the moment it posts its answer; here its packets beat the answer to the server.
        for (byte i = 0; i < 12; i++)
            Assert.That(bobMedia.TrySend([(byte)FlowIds.AudioSend, 0x80, i]), Is.True);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (relay.Statistics.DroppedNotLive < 12 - PendingMedia.Capacity && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.That(await ReceiveAsync(aliceMedia, TimeSpan.FromMilliseconds(200)), Is.Null, "nothing reaches the caller before the answer");

        await TestServer.PostEventAsync(server.Client("bob-token"), bob.Uri, new CallEvent { Type = CallEventType.Answered });
        for (int i = 12 - PendingMedia.Capacity; i < 12; i++)
        {
            var got = await ReceiveAsync(aliceMedia, TimeSpan.FromSeconds(5));
            Assert.That(got, Is.EqualTo(new byte[] { (byte)FlowIds.AudioReceive, 0x80, (byte)i }), "the newest ones, in order");
        }
        Assert.That(await ReceiveAsync(aliceMedia, TimeSpan.FromMilliseconds(200)), Is.Null);
        Assert.That(relay.Statistics, Is.EqualTo(new MediaRelayStatistics(PendingMedia.Capacity, 0, 0, 12 - PendingMedia.Capacity, 0, 0) { ForwardedAfterWaiting = PendingMedia.Capacity }));
    }

    [Test]
    public async Task PacketsThatWaitedTooLongForTheAnswerAreDropped()
    {
        var time = new FrozenTimeProvider();
        var (server, _, bob, aliceMedia, bobMedia) = await AnsweredCallAsync(answer: false, time: time);
        await using var _ = server;
        var relay = server.Services.GetRequiredService<MediaRelay>();
        Assert.That(bobMedia.TrySend([(byte)FlowIds.AudioSend, 0x80, 1]), Is.True);
        var leg = server.Registry.FindLeg(bob.Id)!;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (leg.PendingMedia is not { Count: 1 } && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        time.Advance(PendingMedia.MaxAge + TimeSpan.FromMilliseconds(100));
        await TestServer.PostEventAsync(server.Client("bob-token"), bob.Uri, new CallEvent { Type = CallEventType.Answered });
        Assert.That(await ReceiveAsync(aliceMedia, TimeSpan.FromMilliseconds(300)), Is.Null, "stale audio is no use to the caller's jitter buffer");
        Assert.That(relay.Statistics, Is.EqualTo(new MediaRelayStatistics(0, 0, 0, 1, 0, 0)));
    }

    [Test]
    public async Task PacketsWaitForTheFarEndsSessionAfterTheAnswer()
    {
        var server = await TestServer.StartAsync();
        await using var _ = server;
        var alice = server.Client("alice-token");
        var bob = server.Client("bob-token");
        await TestServer.RegisterAsync(bob, "bob");
        var call = await TestServer.PlaceAsync(alice, await TestServer.RegisterAsync(alice, "alice"), "bob");
        var bobLeg = server.Registry.FindLeg(call.Id)!.Peer;
        await TestServer.PostEventAsync(bob, bobLeg.Uri, new CallEvent { Type = CallEventType.Answered });
        var transport = new LoopbackMediaTransport(server.Registry, server.Services.GetRequiredService<MediaRelay>());
        await using var bobMedia = await transport.OpenAsync(new Uri(bobLeg.Uri + "/media", UriKind.Relative), "bob-token", default);
        // The caller's CONNECT is still on its way when the callee's first packet comes.
        Assert.That(bobMedia.TrySend([(byte)FlowIds.AudioSend, 0x80, 42]), Is.True);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (bobLeg.PendingMedia is not { Count: 1 } && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        await using var aliceMedia = await transport.OpenAsync(new Uri(call.Uri + "/media", UriKind.Relative), "alice-token", default);
        Assert.That(await ReceiveAsync(aliceMedia, TimeSpan.FromSeconds(5)), Is.EqualTo(new byte[] { (byte)FlowIds.AudioReceive, 0x80, 42 }));
    }

    [Test]
    public async Task ASecondSessionForALegReplacesTheFirst()
    {
        var (server, alice, _, first, bobMedia) = await AnsweredCallAsync();
        await using var _ = server;
        var relay = server.Services.GetRequiredService<MediaRelay>();
        var transport = new LoopbackMediaTransport(server.Registry, relay);
        var second = await transport.OpenAsync(new Uri(alice.Uri + "/media", UriKind.Relative), "alice-token", default);

        // The relay closes the first session: its reader sees the end.
        Assert.That(await ReceiveAsync(first, TimeSpan.FromSeconds(5)), Is.Empty);
        bobMedia.TrySend([(byte)FlowIds.AudioSend, 0x80, 7, 7]);
        var got = await ReceiveAsync(second, TimeSpan.FromSeconds(5));
        Assert.That(got, Is.EqualTo(new byte[] { (byte)FlowIds.AudioReceive, 0x80, 7, 7 }), "media goes to the new session");
        Assert.That(relay.HasSession(alice.Id), Is.True);
    }

    [Test]
    public async Task MediaTimeoutEndsALegThatSendsNothing()
    {
        var (server, alice, _, _, _) = await AnsweredCallAsync(configure: o =>
        {
            o.TimerResolution = TimeSpan.FromMilliseconds(20);
            o.TrunkGroups.Add(new TrunkGroupOptions { Id = "default", MediaTimeout = TimeSpan.FromMilliseconds(300) });
        });
        await using var _ = server;
        var leg = server.Registry.FindLeg(alice.Id)!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (leg.State != CallState.Ended && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.That((leg.State, leg.Reason), Is.EqualTo((CallState.Ended, EndReason.MediaTimeout)));
        Assert.That(leg.Peer.Reason, Is.EqualTo(EndReason.Failed));
    }

    [Test]
    public async Task AFloodAboveTheDirectiveRateIsThrottled()
    {
        // Time stands still, so the leg gets its one-second burst allowance and nothing more.
        var (server, _, _, aliceMedia, _) = await AnsweredCallAsync(time: new FrozenTimeProvider());
        await using var _ = server;
        var relay = server.Services.GetRequiredService<MediaRelay>();
        var big = new byte[1000];
        big[0] = (byte)FlowIds.AudioSend;
        // The loopback queue holds 256 datagrams: wait for room (bounded in time, not in tries, which a
        // starved relay thread on a loaded machine can exhaust) so that all 500 reach the relay.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int sent = 0;
        while (sent < 500 && DateTime.UtcNow < deadline)
        {
            if (aliceMedia.TrySend(big)) sent++;
            else await Task.Delay(1);
        }
        Assert.That(sent, Is.EqualTo(500), "the relay did not take the flood within 20 s");
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (relay.Statistics.Forwarded + relay.Statistics.DroppedRateLimited < 500 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var stats = relay.Statistics;
        // Opus at 64 kbit/s: 4 x 8000 B/s + 20000 B/s of headroom = 52 kB burst = 52 datagrams of 1000 bytes.
        Assert.That(stats.Forwarded, Is.EqualTo(52));
        Assert.That(stats.DroppedRateLimited, Is.EqualTo(448));
    }
}
