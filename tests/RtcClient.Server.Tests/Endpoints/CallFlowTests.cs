using System.Net;
using System.Net.Http.Json;
using RtcClient.Protocol;

namespace RtcClient.Server.Tests.Endpoints;

[CancelAfter(60_000)]
public class CallFlowTests
{
    [Test]
    public async Task AnsweredCallGivesBothLegsMatchingDirectivesAndHangupEndsBoth()
    {
        await using var pair = await OpusPair.StartAsync();
        var (server, alice, bob, aliceHandler, bobInbox) = (pair.Server, pair.Alice, pair.Bob, pair.AliceHandler, pair.BobInbox);

        var aliceCall = await TestServer.PlaceAsync(alice, aliceHandler, "bob");
        Assert.That(aliceCall.State, Is.EqualTo(CallState.Proceeding));
        await using var aliceEvents = await TestServer.OpenEventsAsync(alice, aliceCall.Events);
        Assert.That((await aliceEvents.NextAsync()).Type, Is.EqualTo(CallEventType.Proceeding));

        var incoming = await bobInbox.NextOfTypeAsync(CallEventType.Incoming);
        Assert.That((incoming.From, incoming.To), Is.EqualTo(("alice", "bob")));
        var bobCall = (await bob.GetFromJsonAsync(incoming.Call, RiptJsonContext.Default.CallDocument))!;
        Assert.That(bobCall.Direction, Is.EqualTo("inbound"));
        await using var bobEvents = await TestServer.OpenEventsAsync(bob, bobCall.Events);

        Assert.That((await TestServer.PostEventAsync(bob, bobCall.Uri, new CallEvent { Type = CallEventType.Alerting })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await aliceEvents.NextAsync()).State, Is.EqualTo(CallState.Alerting));

        var answer = await TestServer.PostEventAsync(bob, bobCall.Uri, new CallEvent { Type = CallEventType.Answered });
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var answered = await aliceEvents.NextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(answered.Type, Is.EqualTo(CallEventType.Answered));
            Assert.That(answered.State, Is.EqualTo(CallState.Answered));
            Assert.That(answered.Directive!.Send[0].Codec, Is.EqualTo("opus"));
        });
        var bobAnswered = await bobEvents.NextOfTypeAsync(CallEventType.Answered);
        Assert.That(bobAnswered.Directive!.Receive[0].Ssrc, Is.EqualTo(answered.Directive!.Send[0].Ssrc));

        var hangup = await TestServer.PostEventAsync(alice, aliceCall.Uri, new CallEvent { Type = CallEventType.End, Reason = EndReason.Hangup });
        Assert.That(hangup.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bobEnd = await bobEvents.NextOfTypeAsync(CallEventType.End);
        Assert.That((bobEnd.State, bobEnd.Reason), Is.EqualTo((CallState.Ended, EndReason.Hangup)));
        Assert.That(await bobEvents.EndsAsync(TimeSpan.FromSeconds(5)), Is.True, "the leg's stream closes after the final event");
    }

    [Test]
    public async Task TheDirectivesComeWithTheCallAndAPlainAnswerKeepsThemWhileAnAnswerWithAnAdvertisementReplacesThem()
    {
        await using var pair = await OpusPair.StartAsync();
        var (server, alice, bob, aliceHandler, bobInbox) = (pair.Server, pair.Alice, pair.Bob, pair.AliceHandler, pair.BobInbox);

        // Both sides learn what they will send and receive before the answer, so their streams can be ready for it.
        var aliceCall = await TestServer.PlaceAsync(alice, aliceHandler, "bob");
        var bobCall = (await bobInbox.NextOfTypeAsync(CallEventType.Incoming)).Document!;
        Assert.Multiple(() =>
        {
            Assert.That((aliceCall.State, aliceCall.Directive?.Revision), Is.EqualTo((CallState.Proceeding, 1)));
            Assert.That((bobCall.State, bobCall.Directive?.Revision), Is.EqualTo((CallState.Proceeding, 1)));
            Assert.That(aliceCall.Directive!.Send[0].Codec, Is.EqualTo("opus"));
            Assert.That(bobCall.Directive!.Receive[0].Ssrc, Is.EqualTo(aliceCall.Directive.Send[0].Ssrc));
            Assert.That(aliceCall.Directive.Receive[0].Ssrc, Is.EqualTo(bobCall.Directive.Send[0].Ssrc));
        });

        // A plain answer confirms them unchanged (the callee may already be sending by them).
        var answer = await TestServer.PostEventAsync(bob, bobCall.Uri, new CallEvent { Type = CallEventType.Answered });
        var answered = (await answer.Content.ReadFromJsonAsync(RiptJsonContext.Default.CallDocument))!;
        Assert.That(answered.State, Is.EqualTo(CallState.Answered));
        Assert.That(Json(answered.Directive), Is.EqualTo(Json(bobCall.Directive)));
        Assert.That(Json(server.Registry.FindLeg(aliceCall.Id)!.Directive), Is.EqualTo(Json(aliceCall.Directive)));

        // An answer with an advertisement of its own brings new directives to both legs.
        var second = await TestServer.PlaceAsync(alice, aliceHandler, "bob");
        await using var secondEvents = await TestServer.OpenEventsAsync(alice, second.Events);
        var secondAtBob = (await bobInbox.NextOfTypeAsync(CallEventType.Incoming)).Document!;
        Assert.That(secondAtBob.Directive!.Send[0].Codec, Is.EqualTo("opus"));
        answer = await TestServer.PostEventAsync(bob, secondAtBob.Uri, new CallEvent { Type = CallEventType.Answered, Advertisement = TestServer.G711 });
        answered = (await answer.Content.ReadFromJsonAsync(RiptJsonContext.Default.CallDocument))!;
        Assert.That((answered.Directive!.Revision, answered.Directive.Send[0].Codec), Is.EqualTo((2, "PCMU")));
        var aliceAnswered = await secondEvents.NextOfTypeAsync(CallEventType.Answered);
        Assert.That((aliceAnswered.Directive!.Revision, aliceAnswered.Directive.Receive[0].Codec), Is.EqualTo((2, "PCMU")));
    }

    private static string Json(Directive? directive) => System.Text.Json.JsonSerializer.Serialize(directive, RiptJsonContext.Default.Directive!);

    /// <summary>A server with alice and bob registered (both Opus), bob's handler event stream open.</summary>
    private sealed class OpusPair : IAsyncDisposable
    {
        public required TestServer Server { get; init; }
        public required HttpClient Alice { get; init; }
        public required HttpClient Bob { get; init; }
        public required HandlerDocument AliceHandler { get; init; }
        public required EventStream BobInbox { get; init; }

        public static async Task<OpusPair> StartAsync()
        {
            var server = await TestServer.StartAsync();
            var alice = server.Client("alice-token");
            var bob = server.Client("bob-token");
            var aliceHandler = await TestServer.RegisterAsync(alice, "alice", TestServer.Opus);
            var bobHandler = await TestServer.RegisterAsync(bob, "bob", TestServer.Opus);
            return new OpusPair { Server = server, Alice = alice, Bob = bob, AliceHandler = aliceHandler, BobInbox = await TestServer.OpenEventsAsync(bob, bobHandler.Events) };
        }

        public async ValueTask DisposeAsync()
        {
            await BobInbox.DisposeAsync();
            Alice.Dispose();
            Bob.Dispose();
            await Server.DisposeAsync();
        }
    }

    [Test]
    public async Task DeclinedCallEndsTheCallersLegAsDeclined()
    {
        await using var server = await TestServer.StartAsync();
        using var alice = server.Client("alice-token");
        using var bob = server.Client("bob-token");
        var aliceHandler = await TestServer.RegisterAsync(alice, "alice");
        await TestServer.RegisterAsync(bob, "bob");
        var call = await TestServer.PlaceAsync(alice, aliceHandler, "bob");
        await using var aliceEvents = await TestServer.OpenEventsAsync(alice, call.Events);
        var bobLeg = server.Registry.FindLeg(call.Id)!.Peer;
        await TestServer.PostEventAsync(bob, bobLeg.Uri, new CallEvent { Type = CallEventType.Declined });
        var e = await aliceEvents.NextOfTypeAsync(CallEventType.Declined);
        Assert.That((e.State, e.Reason), Is.EqualTo((CallState.Ended, EndReason.Declined)));
    }

    [Test]
    public async Task UnansweredCallEndsWithNoAnswerAfterTheTimeout()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.TimerResolution = TimeSpan.FromMilliseconds(20);
            o.TrunkGroups.Add(new Hosting.TrunkGroupOptions { Id = "default", NoAnswerTimeout = TimeSpan.FromMilliseconds(300) });
        });
        using var alice = server.Client("alice-token");
        using var bob = server.Client("bob-token");
        var aliceHandler = await TestServer.RegisterAsync(alice, "alice");
        var bobHandler = await TestServer.RegisterAsync(bob, "bob");
        await using var bobInbox = await TestServer.OpenEventsAsync(bob, bobHandler.Events);
        var started = DateTime.UtcNow;
        var call = await TestServer.PlaceAsync(alice, aliceHandler, "bob");
        await using var aliceEvents = await TestServer.OpenEventsAsync(alice, call.Events);
        var e = await aliceEvents.NextOfTypeAsync(CallEventType.NoAnswer);
        Assert.That((e.State, e.Reason), Is.EqualTo((CallState.Ended, EndReason.NoAnswer)));
        Assert.That(DateTime.UtcNow - started, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300)));
    }

    [Test]
    public async Task CallerHangingUpBeforeAnswerCancelsTheCallee()
    {
        await using var server = await TestServer.StartAsync();
        using var alice = server.Client("alice-token");
        using var bob = server.Client("bob-token");
        var aliceHandler = await TestServer.RegisterAsync(alice, "alice");
        await TestServer.RegisterAsync(bob, "bob");
        var call = await TestServer.PlaceAsync(alice, aliceHandler, "bob");
        var bobLeg = server.Registry.FindLeg(call.Id)!.Peer;
        await using var bobEvents = await TestServer.OpenEventsAsync(bob, bobLeg.Uri + "/events");
        await TestServer.PostEventAsync(alice, call.Uri, new CallEvent { Type = CallEventType.End });
        var e = await bobEvents.NextOfTypeAsync(CallEventType.End);
        Assert.That(e.Reason, Is.EqualTo(EndReason.Cancelled));
    }

    [Test]
    public async Task HoldAndResumeChangeBothDirectives()
    {
        await using var server = await TestServer.StartAsync();
        using var alice = server.Client("alice-token");
        using var bob = server.Client("bob-token");
        var aliceHandler = await TestServer.RegisterAsync(alice, "alice");
        await TestServer.RegisterAsync(bob, "bob");
        var call = await TestServer.PlaceAsync(alice, aliceHandler, "bob");
        var bobLeg = server.Registry.FindLeg(call.Id)!.Peer;
        await TestServer.PostEventAsync(bob, bobLeg.Uri, new CallEvent { Type = CallEventType.Answered });
        await using var bobEvents = await TestServer.OpenEventsAsync(bob, bobLeg.Uri + "/events");

        var held = await (await TestServer.PostEventAsync(alice, call.Uri, new CallEvent { Type = CallEventType.Hold })).Content.ReadFromJsonAsync(RiptJsonContext.Default.CallDocument);
        Assert.That((held!.State, held.Directive!.Hold), Is.EqualTo((CallState.Held, HoldState.Local)));
        var bobDirective = await bobEvents.NextOfTypeAsync(CallEventType.Directive);
        Assert.That((bobDirective.State, bobDirective.Directive!.Hold), Is.EqualTo((CallState.Held, HoldState.Remote)));

        await TestServer.PostEventAsync(alice, call.Uri, new CallEvent { Type = CallEventType.Resume });
        var resumed = await bobEvents.NextOfTypeAsync(CallEventType.Directive);
        Assert.Multiple(() =>
        {
            Assert.That((resumed.State, resumed.Directive!.Hold), Is.EqualTo((CallState.Answered, HoldState.None)));
            Assert.That(resumed.Directive.Revision, Is.GreaterThan(bobDirective.Directive.Revision));
        });
    }

    [Test]
    public async Task DirectiveRequestAddsVideoMidCall()
    {
        await using var server = await TestServer.StartAsync();
        using var alice = server.Client("alice-token");
        using var bob = server.Client("bob-token");
        var video = new MediaCapabilities { Send = [new() { Codec = "H264", MaxWidth = 640, MaxHeight = 360 }], Receive = [new() { Codec = "H264", MaxWidth = 640, MaxHeight = 360 }] };
        var aliceHandler = await TestServer.RegisterAsync(alice, "alice");
        await TestServer.RegisterAsync(bob, "bob", TestServer.G711 with { Video = video });
        var call = await TestServer.PlaceAsync(alice, aliceHandler, "bob");
        var bobLeg = server.Registry.FindLeg(call.Id)!.Peer;
        await TestServer.PostEventAsync(bob, bobLeg.Uri, new CallEvent { Type = CallEventType.Answered });
        Assert.That(server.Registry.FindLeg(call.Id)!.Directive!.Send.Any(f => f.Media == "video"), Is.False);

        var response = await TestServer.PostEventAsync(alice, call.Uri, new CallEvent { Type = CallEventType.DirectiveRequest, Advertisement = TestServer.G711 with { Video = video } });
        var doc = await response.Content.ReadFromJsonAsync(RiptJsonContext.Default.CallDocument);
        Assert.That(doc!.Directive!.Send.Single(f => f.Media == "video").Codec, Is.EqualTo("H264"));
    }

    [Test]
    public async Task PingIsAnsweredWithPongOnTheLegsStream()
    {
        await using var server = await TestServer.StartAsync();
        using var alice = server.Client("alice-token");
        await TestServer.RegisterAsync(server.Client("bob-token"), "bob");
        var call = await TestServer.PlaceAsync(alice, await TestServer.RegisterAsync(alice, "alice"), "bob");
        await using var events = await TestServer.OpenEventsAsync(alice, call.Events);
        await TestServer.PostEventAsync(alice, call.Uri, new CallEvent { Type = CallEventType.Ping, Nonce = "n-42" });
        var pong = await events.NextOfTypeAsync(CallEventType.Pong);
        Assert.That(pong.Nonce, Is.EqualTo("n-42"));
    }

    [Test]
    public async Task FiftyConcurrentCallsThroughOneServer()
    {
        await using var server = await TestServer.StartAsync();
        using var alice = server.Client("alice-token");
        using var bob = server.Client("bob-token");
        var aliceHandler = await TestServer.RegisterAsync(alice, "alice");
        await TestServer.RegisterAsync(bob, "bob");
        var calls = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => TestServer.PlaceAsync(alice, aliceHandler, "bob")));
        await Task.WhenAll(calls.Select(c => TestServer.PostEventAsync(bob, server.Registry.FindLeg(c.Id)!.Peer.Uri, new CallEvent { Type = CallEventType.Answered })));
        Assert.That(calls.Select(c => server.Registry.FindLeg(c.Id)!.State), Is.All.EqualTo(CallState.Answered));
        Assert.That(server.Registry.ActiveCalls, Is.EqualTo(50));
        await Task.WhenAll(calls.Select(c => TestServer.PostEventAsync(alice, c.Uri, new CallEvent { Type = CallEventType.End })));
        Assert.That(server.Registry.ActiveCalls, Is.Zero);
    }
}
