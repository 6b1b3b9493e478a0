using System.Net;
using System.Net.Http.Json;
using RtcClient.Protocol;
using RtcClient.Server.Store;

namespace RtcClient.Server.Tests.Endpoints;

/// <summary>Two server instances sharing one call store hand a call over (docs/protocol.md section 6.7).</summary>
[CancelAfter(60_000)]
public class MigrationEndpointTests
{
    /// <summary>Instances A and B sharing a store, with alice and bob as clients of A.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _streams = [];

        public required TestServer A { get; init; }
        public required TestServer B { get; init; }
        public required InMemoryCallStore Store { get; init; }
        public required HttpClient Alice { get; init; }
        public required HttpClient Bob { get; init; }

        public static async Task<Pair> StartAsync(Action<Hosting.RiptServerOptions>? configure = null)
        {
            var store = new InMemoryCallStore();
            void Configure(Hosting.RiptServerOptions o)
            {
                o.CallStore = store;
                o.TimerResolution = TimeSpan.FromMilliseconds(20);
                configure?.Invoke(o);
            }
            var a = await TestServer.StartAsync(Configure);
            return new Pair { A = a, B = await TestServer.StartAsync(Configure), Store = store, Alice = a.Client("alice-token"), Bob = a.Client("bob-token") };
        }

        /// <summary>Alice calls bob at A and bob answers; both legs' event streams are open at A and past 'answered'.</summary>
        public async Task<Answered> AnswerAsync()
        {
            var aliceHandler = await TestServer.RegisterAsync(Alice, "alice", TestServer.Opus);
            await TestServer.RegisterAsync(Bob, "bob", TestServer.Opus);
            var call = await TestServer.PlaceAsync(Alice, aliceHandler, "bob");
            var bobCall = A.Registry.FindLeg(call.Id)!.Peer.ToDocument();
            var aliceEvents = await TestServer.OpenEventsAsync(Alice, call.Events);
            var bobEvents = await TestServer.OpenEventsAsync(Bob, bobCall.Events);
            _streams.Add(aliceEvents);
            _streams.Add(bobEvents);
            Assert.That((await TestServer.PostEventAsync(Bob, bobCall.Uri, new CallEvent { Type = CallEventType.Answered })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var answered = await aliceEvents.NextOfTypeAsync(CallEventType.Answered);
            await bobEvents.NextOfTypeAsync(CallEventType.Answered);
            return new Answered(call, bobCall, aliceEvents, bobEvents, answered);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var stream in _streams) await stream.DisposeAsync();
            Alice.Dispose();
            Bob.Dispose();
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }

    private sealed record Answered(CallDocument Alice, CallDocument Bob, EventStream AliceEvents, EventStream BobEvents, CallEvent Event);

    private static string Origin(TestServer server) => server.BaseUri.GetLeftPart(UriPartial.Authority);

    [Test]
    public async Task BothLegsLearnTheirNewUriAndTheTargetCarriesOnTheirEventsAndDirectives()
    {
        await using var pair = await Pair.StartAsync();
        var (call, bobCall, aliceEvents, bobEvents, answered) = await pair.AnswerAsync();
        var alice = pair.Alice;

        Assert.That(pair.A.Registry.Migrate(call.Id, pair.B.BaseUri), Is.Null);
        var migrate = await aliceEvents.NextAsync();
        var bobMigrate = await bobEvents.NextAsync();
        Assert.Multiple(() =>
        {
            Assert.That((migrate.Type, migrate.Target), Is.EqualTo((CallEventType.Migrate, Origin(pair.B) + call.Uri)));
            Assert.That((migrate.Seq, migrate.State), Is.EqualTo((answered.Seq + 1, CallState.Answered)), "numbered on, state unchanged");
            Assert.That(migrate.Directive!.Revision, Is.EqualTo(answered.Directive!.Revision));
            Assert.That((bobMigrate.Type, bobMigrate.Target), Is.EqualTo((CallEventType.Migrate, Origin(pair.B) + bobCall.Uri)), "both legs move together");
        });
        Assert.That(await aliceEvents.EndsAsync(TimeSpan.FromSeconds(5)), Is.True, "the old instance says nothing more");

        // Requests that still reach A are told where the call is now.
        var late = await TestServer.PostEventAsync(alice, call.Uri, new CallEvent { Type = CallEventType.Hold });
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest));
        var problem = await TestServer.ProblemAsync(late);
        Assert.That((problem.Type, problem.Target), Is.EqualTo((ProblemType.Migrated, migrate.Target)));
        Assert.That((await alice.GetAsync(call.Uri)).StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest));

        // At B the legs go on from the same seq, revision and SSRCs.
        using var aliceAtB = pair.B.Client("alice-token");
        using var bobAtB = pair.B.Client("bob-token");
        await using var aliceEventsB = await TestServer.OpenEventsAsync(aliceAtB, migrate.Target + "/events", migrate.Seq);
        await using var bobEventsB = await TestServer.OpenEventsAsync(bobAtB, bobMigrate.Target + "/events", bobMigrate.Seq);
        var held = await TestServer.PostEventAsync(aliceAtB, migrate.Target!, new CallEvent { Type = CallEventType.Hold });
        Assert.That(held.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var directive = await bobEventsB.NextAsync();
        var own = await aliceEventsB.NextAsync();
        Assert.Multiple(() =>
        {
            Assert.That((directive.Type, directive.Seq, directive.State), Is.EqualTo((CallEventType.Directive, bobMigrate.Seq + 1, CallState.Held)));
            Assert.That(directive.Directive!.Hold, Is.EqualTo(HoldState.Remote));
            Assert.That(own.Seq, Is.EqualTo(migrate.Seq + 1));
            Assert.That(own.Directive!.Revision, Is.GreaterThan(answered.Directive!.Revision));
            Assert.That(own.Directive.Send[0].Ssrc, Is.EqualTo(answered.Directive.Send[0].Ssrc));
            Assert.That((pair.A.Registry.ActiveCalls, pair.B.Registry.ActiveCalls), Is.EqualTo((0, 1)));
            Assert.That(pair.Store.FindByLeg(call.Id) is { Handoff: false } r && r.Owner == Origin(pair.B), Is.True, "B owns the call");
        });

        await TestServer.PostEventAsync(bobAtB, bobMigrate.Target!, new CallEvent { Type = CallEventType.End });
        var end = await aliceEventsB.NextOfTypeAsync(CallEventType.End);
        Assert.That((end.State, end.Reason), Is.EqualTo((CallState.Ended, EndReason.Hangup)));
    }

    [Test]
    public async Task AClientThatMissedTheMigrateEventGetsTheNewestStateAtTheTarget()
    {
        await using var pair = await Pair.StartAsync();
        var (call, _, _, _, answered) = await pair.AnswerAsync();
        Assert.That(pair.A.Registry.Migrate(call.Id, pair.B.BaseUri), Is.Null);

        // Resuming after 'answered' at B replays the one event B has: the migrate, which carries the full state.
        using var aliceAtB = pair.B.Client("alice-token");
        string target = Origin(pair.B) + call.Uri;
        await using var events = await TestServer.OpenEventsAsync(aliceAtB, target + "/events", answered.Seq);
        var replayed = await events.NextAsync();
        Assert.That((replayed.Type, replayed.Seq, replayed.State, replayed.Target), Is.EqualTo((CallEventType.Migrate, answered.Seq + 1, CallState.Answered, target)));
    }

    [Test]
    public async Task AMovedLegIsNotRevealedToAnotherClient()
    {
        await using var pair = await Pair.StartAsync();
        using var carol = pair.A.Client("carol-token");
        var call = (await pair.AnswerAsync()).Alice;
        Assert.That(pair.A.Registry.Migrate(call.Id, pair.B.BaseUri), Is.Null);
        var response = await carol.GetAsync(call.Uri);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ADrainingInstanceRefusesNewCallsWith503()
    {
        await using var pair = await Pair.StartAsync();
        var alice = pair.Alice;
        var handler = await TestServer.RegisterAsync(alice, "alice");
        await TestServer.RegisterAsync(pair.Bob, "bob");
        var result = await pair.A.Registry.DrainAsync(pair.B.BaseUri, TimeSpan.FromSeconds(1));
        Assert.That(result.Migrated, Is.Empty);

        var response = await alice.PostAsJsonAsync("/.well-known/ript/v1/tgs/default/calls",
            new PlaceCallRequest { Handler = handler.Uri, Destination = "bob" }, RiptJsonContext.Default.PlaceCallRequest);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        Assert.That((await TestServer.ProblemAsync(response)).Type, Is.EqualTo(ProblemType.Unavailable));
    }

    [Test]
    public async Task AHandoffNobodyTakesIsEndedByTheOldInstance()
    {
        await using var pair = await Pair.StartAsync(o => o.HandoffTimeout = TimeSpan.FromMilliseconds(300));
        var call = (await pair.AnswerAsync()).Alice;
        var alice = pair.Alice;

        Assert.That(pair.A.Registry.Migrate(call.Id, new Uri("https://127.0.0.1:1/")), Is.Null, "an instance that is not there");
        Assert.That(pair.Store.FindByLeg(call.Id)!.Handoff, Is.True);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pair.Store.Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.That(pair.Store.Count, Is.Zero, "the handoff ended and left the store");
        Assert.That((await alice.GetAsync(call.Uri)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task MigrationIsRefusedForEndedCallsAndTheInstanceItself()
    {
        await using var pair = await Pair.StartAsync();
        var call = (await pair.AnswerAsync()).Alice;
        var alice = pair.Alice;
        Assert.That(pair.A.Registry.Migrate(call.Id, pair.A.BaseUri), Does.Contain("this instance"));
        Assert.That(pair.A.Registry.Migrate("c-unknown", pair.B.BaseUri), Does.Contain("no such call"));
        await TestServer.PostEventAsync(alice, call.Uri, new CallEvent { Type = CallEventType.End });
        Assert.That(pair.A.Registry.Migrate(call.Id, pair.B.BaseUri), Does.Contain("ended"));
    }
}
