using System.Net;
using RtcClient.Protocol;
using RtcClient.Server.Hosting;
using RtcClient.Server.Tests.Media;

namespace RtcClient.Server.Tests.Endpoints;

/// <summary>
/// The signaling-loss timer (docs/protocol.md section 6.6) on a frozen clock, so the test decides when
/// time passes: a leg with neither an open event stream nor requests ends; an open stream keeps it alive.
/// </summary>
[CancelAfter(30_000)]
public class SignalingTimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<(TestServer Server, FrozenTimeProvider Time, CallDocument Alice, RtcClient.Server.Calls.ServerLeg Bob)> AnsweredAsync()
    {
        var time = new FrozenTimeProvider();
        var server = await TestServer.StartAsync(o => o.TrunkGroups.Add(new TrunkGroupOptions { Id = "default", SignalingTimeout = Timeout, MediaTimeout = TimeSpan.FromHours(1) }), time);
        using var alice = server.Client("alice-token");
        using var bob = server.Client("bob-token");
        await TestServer.RegisterAsync(bob, "bob");
        var call = await TestServer.PlaceAsync(alice, await TestServer.RegisterAsync(alice, "alice"), "bob");
        var bobLeg = server.Registry.FindLeg(call.Id)!.Peer;
        Assert.That((await TestServer.PostEventAsync(bob, bobLeg.Uri, new CallEvent { Type = CallEventType.Answered })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (server, time, call, bobLeg);
    }

    [Test]
    public async Task ALegWithNoStreamAndNoRequestsEndsAndItsPeerFails()
    {
        var (server, time, call, bobLeg) = await AnsweredAsync();
        await using var _ = server;
        using var bob = server.Client("bob-token");
        // Bob keeps his stream open and is fine; alice went silent.
        await using var bobEvents = await TestServer.OpenEventsAsync(bob, bobLeg.Uri + "/events");
        await bobEvents.NextOfTypeAsync(CallEventType.Answered);
        var aliceLeg = server.Registry.FindLeg(call.Id)!;

        time.Advance(Timeout - TimeSpan.FromSeconds(1));
        server.Registry.Tick();
        Assert.That(aliceLeg.State, Is.EqualTo(CallState.Answered), "not before the timeout");
        time.Advance(TimeSpan.FromSeconds(2));
        server.Registry.Tick();
        Assert.That((aliceLeg.State, aliceLeg.Reason), Is.EqualTo((CallState.Ended, EndReason.SignalingTimeout)));
        var failed = await bobEvents.NextOfTypeAsync(CallEventType.Failed);
        Assert.That((failed.State, failed.Reason), Is.EqualTo((CallState.Ended, EndReason.Failed)));
    }

    [Test]
    public async Task AnOpenEventStreamKeepsALegAlive()
    {
        var (server, time, call, bobLeg) = await AnsweredAsync();
        await using var _ = server;
        using var alice = server.Client("alice-token");
        using var bob = server.Client("bob-token");
        await using var aliceEvents = await TestServer.OpenEventsAsync(alice, call.Events);
        await using var bobEvents = await TestServer.OpenEventsAsync(bob, bobLeg.Uri + "/events");
        await aliceEvents.NextOfTypeAsync(CallEventType.Answered);
        await bobEvents.NextOfTypeAsync(CallEventType.Answered);

        time.Advance(Timeout * 3);
        server.Registry.Tick();
        Assert.That((server.Registry.FindLeg(call.Id)!.State, bobLeg.State), Is.EqualTo((CallState.Answered, CallState.Answered)));
    }
}
