using System.Net.Http.Json;
using RtcClient.Protocol;
using RtcClient.Tests.Media;
using RtcClient.Tests.Support;

namespace RtcClient.Tests.Calls;

/// <summary>
/// The timers of docs/protocol.md section 6.6 as clients see them end to end: no answer, loss of the
/// signaling stream, loss of media. Each test checks the server's legs and the clients' calls.
/// </summary>
[CancelAfter(60_000)]
public class TimeoutTests
{
    [Test]
    public async Task AnUnansweredCallEndsAsNoAnswerForCallerAndCallee(CancellationToken cancellationToken)
    {
        var noAnswer = TimeSpan.FromMilliseconds(500);
        await using var server = await Http3CallServers.StartAsync(o => o.TrunkGroups.Add(Http3CallServers.TrunkGroup(noAnswer: noAnswer)), cancellationToken: cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(server, "alice", cancellationToken: cancellationToken);
        await using var bob = await Http3CallServers.ConnectAsync(server, "bob", cancellationToken: cancellationToken);
        var incoming = bob.IncomingCallsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var dialed = DateTime.UtcNow;
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        Assert.That(await incoming.MoveNextAsync(), Is.True);
        var ringing = incoming.Current;
        await call.WaitForStatusAsync(CallStatus.Alerting, cancellationToken);

        await Task.WhenAll(call.Completion, ringing.Completion).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That((call.EndReason, ringing.EndReason), Is.EqualTo((EndReason.NoAnswer, EndReason.NoAnswer)));
            Assert.That(DateTime.UtcNow - dialed, Is.GreaterThanOrEqualTo(noAnswer));
            Assert.That(server.Registry.FindLeg(call.Id)!.Reason, Is.EqualTo(EndReason.NoAnswer));
        });
    }

    [Test]
    public async Task ClientsEndTheCallAsSignalingTimeoutWhenTheirEventStreamCannotBeRestored(CancellationToken cancellationToken)
    {
        var signaling = TimeSpan.FromSeconds(1);
        var server = await Http3CallServers.StartAsync(o => o.TrunkGroups.Add(Http3CallServers.TrunkGroup(signaling: signaling)), cancellationToken: cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(server, "alice", cancellationToken: cancellationToken);
        await using var bob = await Http3CallServers.ConnectAsync(server, "bob", cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);

        // The server goes away for good: streams break and cannot be reopened.
        var lost = DateTime.UtcNow;
        await server.DisposeAsync();
        await Task.WhenAll(call.Completion, answered.Completion).WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
        var after = DateTime.UtcNow - lost;
        Assert.Multiple(() =>
        {
            Assert.That((call.EndReason, answered.EndReason), Is.EqualTo((EndReason.SignalingTimeout, EndReason.SignalingTimeout)));
            Assert.That(call.EndDetail, Does.Contain("event stream"));
            // Not before the trunk group's signalingTimeoutMs, and not much after.
            Assert.That(after, Is.GreaterThanOrEqualTo(signaling - TimeSpan.FromMilliseconds(100)).And.LessThan(signaling + TimeSpan.FromSeconds(6)));
        });
        await Task.WhenAll(alice.DisposeAsync().AsTask(), bob.DisposeAsync().AsTask());
    }

    [Test]
    public async Task APeerThatLosesSignalingIsEndedByTheServerAndTheOtherSideSeesFailed(CancellationToken cancellationToken)
    {
        // Bob is a bare HTTP client: he answers, then neither opens his leg's event stream nor sends anything.
        await using var server = await CallServerHost.StartAsync(o =>
        {
            o.TimerResolution = TimeSpan.FromMilliseconds(20);
            o.TrunkGroups.Add(Http3CallServers.TrunkGroup(signaling: TimeSpan.FromSeconds(1)));
        });
        await using var alice = await server.ConnectAsync("alice", cancellationToken: cancellationToken);
        using var bob = new HttpClient { BaseAddress = server.Uri };
        bob.DefaultRequestHeaders.Authorization = new("Bearer", "bob-token");
        var registered = await bob.PostAsJsonAsync("/.well-known/ript/v1/tgs/default/handlers",
            new HandlerRegistration { Name = "bob", Advertisement = Advertisements.G711Only }, RiptJsonContext.Default.HandlerRegistration, cancellationToken);
        Assert.That((int)registered.StatusCode, Is.EqualTo(201));
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        var bobLeg = server.Registry.FindLeg(call.Id)!.Peer;
        var answer = await bob.PostAsJsonAsync(bobLeg.Uri + "/events", new CallEvent { Type = CallEventType.Answered }, RiptJsonContext.Default.CallEvent, cancellationToken);
        Assert.That((int)answer.StatusCode, Is.EqualTo(200));
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);

        await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(call.EndReason, Is.EqualTo(EndReason.Failed));
            Assert.That(bobLeg.Reason, Is.EqualTo(EndReason.SignalingTimeout));
        });
    }

    [Test]
    public async Task AClientThatReceivesNoMediaReopensItsSessionThenEndsTheCallAsMediaTimeout(CancellationToken cancellationToken)
    {
        // The server's own media timer is long: what ends this call is the client noticing that nothing arrives.
        var mediaTimeout = TimeSpan.FromMilliseconds(800);
        await using var harness = await MediaCallHarness.StartAsync(o => o.TrunkGroups.Add(Http3CallServers.TrunkGroup(media: TimeSpan.FromSeconds(30))));
        LossyMediaTransport? path = null;
        var alice = await harness.ConnectAsync("alice", configure: o => o.MediaTimeout = mediaTimeout,
            wrap: t => path = new LossyMediaTransport(t), cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);

        var silent = DateTime.UtcNow;
        path!.DropReceived = true;
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        var after = DateTime.UtcNow - silent;
        Assert.Multiple(() =>
        {
            Assert.That(call.EndReason, Is.EqualTo(EndReason.MediaTimeout));
            Assert.That(call.EndDetail, Does.Contain("no media arrived"));
            Assert.That(path.Opened, Is.GreaterThanOrEqualTo(2), "the session was reopened once before giving up");
            Assert.That(after, Is.GreaterThanOrEqualTo(mediaTimeout - TimeSpan.FromMilliseconds(100)).And.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(harness.Server.Registry.FindLeg(call.Id)!.Reason, Is.EqualTo(EndReason.MediaTimeout));
        });
        await answered.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(answered.EndReason, Is.EqualTo(EndReason.MediaTimeout));
    }

    [Test]
    public async Task TheServerEndsALegThatSendsNoMediaAndItsPeerSeesFailed(CancellationToken cancellationToken)
    {
        var mediaTimeout = TimeSpan.FromMilliseconds(600);
        await using var harness = await MediaCallHarness.StartAsync(o =>
        {
            o.TimerResolution = TimeSpan.FromMilliseconds(20);
            o.TrunkGroups.Add(Http3CallServers.TrunkGroup(media: mediaTimeout));
        });
        LossyMediaTransport? path = null;
        // The clients' own no-media checks are slow, so the server's timer on alice's leg decides.
        var alice = await harness.ConnectAsync("alice", configure: o => o.MediaTimeout = TimeSpan.FromSeconds(30),
            wrap: t => path = new LossyMediaTransport(t), cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", configure: o => o.MediaTimeout = TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);

        path!.DropSent = true;
        await Task.WhenAll(call.Completion, answered.Completion).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(call.EndReason, Is.EqualTo(EndReason.MediaTimeout));
            Assert.That(answered.EndReason, Is.EqualTo(EndReason.Failed));
            Assert.That(call.EndDetail, Is.Null, "the server ended it, not the client");
        });
    }
}
