using RtcClient.Protocol;
using RtcClient.Server.Hosting;
using RtcClient.Server.Store;
using RtcClient.Tests.Media;
using RtcClient.Tests.Support;

namespace RtcClient.Tests.Calls;

/// <summary>
/// Calls moving between two server instances that share a call store (docs/protocol.md section 6.7),
/// over the SDK's HTTP/3 and WebTransport on loopback UDP.
/// </summary>
[CancelAfter(90_000)]
public class MigrationTests
{
    [Test]
    public async Task AnAnsweredCallMovesToAnotherInstanceKeepingItsStatusAndAudioBothWays(CancellationToken cancellationToken)
    {
        var store = new InMemoryCallStore();
        using var certificate = RiptServerHost.CreateSelfSignedCertificate();
        var a = await Http3CallServers.StartAsync(o => o.CallStore = store, certificate, cancellationToken);
        await using var b = await Http3CallServers.StartAsync(o => o.CallStore = store, certificate, cancellationToken);
        bool aStopped = false;
        try
        {
            await using var alice = await Http3CallServers.ConnectAsync(a, "alice", cancellationToken: cancellationToken);
            await using var bob = await Http3CallServers.ConnectAsync(a, "bob", cancellationToken: cancellationToken);
            var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
            var tones = await TwoWayTone.StartAsync(call, answered, cancellationToken);
            var directive = call.Directive!;
            tones.ResetGaps();

            var drained = await a.DrainAsync(b.Uri, TimeSpan.FromSeconds(10), cancellationToken);
            Assert.That((drained.Migrated.Count, drained.TakenOver.Count, drained.Remaining.Count), Is.EqualTo((1, 1, 0)));
            await Eventually.ThatAsync(() => call.MediaReconnects == 1 && answered.MediaReconnects == 1, "media sessions moved to B", cancellationToken);

            string bOrigin = b.Uri.GetLeftPart(UriPartial.Authority);
            Assert.Multiple(() =>
            {
                Assert.That((call.Migrations, answered.Migrations), Is.EqualTo((1, 1)));
                Assert.That(call.Uri, Does.StartWith(bOrigin + "/.well-known/ript/v1/tgs/default/calls/"));
                Assert.That(answered.MediaUri, Does.StartWith(bOrigin));
                Assert.That((call.Status, answered.Status), Is.EqualTo((CallStatus.Answered, CallStatus.Answered)));
                // The same directive goes on: same codec, flows and SSRCs, so the streams did not restart.
                Assert.That(call.Directive!.Send[0].Ssrc, Is.EqualTo(directive.Send[0].Ssrc));
                Assert.That((a.Registry.ActiveCalls, b.Registry.ActiveCalls), Is.EqualTo((0, 1)));
                Assert.That(b.Registry.FindLeg(call.Id)!.State, Is.EqualTo(CallState.Answered));
                Assert.That(b.Relay.HasSession(call.Id) && b.Relay.HasSession(answered.Id), Is.True, "both media sessions at B");
            });

            // Audio after the move, relayed by B: half a second of packets at each end, then each tone again.
            await FreshAudio.ArrivesAsync(call, answered, 25, cancellationToken);
            await tones.HeardAsync(cancellationToken);
            Assert.That(b.Relay.Statistics.Forwarded, Is.GreaterThanOrEqualTo(50), "B relays the call's media");
            TestContext.Out.WriteLine($"longest tone gap across the move: at bob {tones.AtCallee.LongestGap.TotalMilliseconds:F0} ms, at alice {tones.AtCaller.LongestGap.TotalMilliseconds:F0} ms");
            Assert.That(tones.AtCallee.LongestGap, Is.LessThan(TimeSpan.FromSeconds(2)), "gap in alice's audio at bob");
            Assert.That(tones.AtCaller.LongestGap, Is.LessThan(TimeSpan.FromSeconds(2)), "gap in bob's audio at alice");

            // A can stop now: the call goes on at B, signaling (hold, resume, hang-up) and media alike.
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await a.DisposeAsync();
            aStopped = true;
            TestContext.Out.WriteLine($"A stopped in {stopping.ElapsedMilliseconds} ms");
            await call.HoldAsync(cancellationToken);
            await answered.WaitForStatusAsync(CallStatus.Held, cancellationToken);
            await call.ResumeAsync(cancellationToken);
            await answered.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
            await tones.HeardAsync(cancellationToken);
            await answered.HangupAsync(cancellationToken);
            await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            Assert.That((call.EndReason, call.Migrations), Is.EqualTo((EndReason.Hangup, 1)));
            // Their handlers were registered at A, which is gone: unregistering times out, so both at once.
            await Task.WhenAll(alice.DisposeAsync().AsTask(), bob.DisposeAsync().AsTask());
        }
        finally
        {
            if (!aStopped) await a.DisposeAsync();
        }
    }

    [Test]
    public async Task AClientWhoseTargetDoesNotKnowTheCallEndsItAsMigrationFailed(CancellationToken cancellationToken)
    {
        var store = new InMemoryCallStore();
        using var certificate = RiptServerHost.CreateSelfSignedCertificate();
        await using var a = await Http3CallServers.StartAsync(o =>
        {
            o.CallStore = store;
            o.HandoffTimeout = TimeSpan.FromMilliseconds(500);
        }, certificate, cancellationToken);
        // C speaks the protocol with the same certificate but keeps its own store: the call is unknown there.
        await using var c = await Http3CallServers.StartAsync(certificate: certificate, cancellationToken: cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(a, "alice", cancellationToken: cancellationToken);
        await using var bob = await Http3CallServers.ConnectAsync(a, "bob", cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);

        Assert.That(a.Registry.Migrate(call.Id, c.Uri), Is.Null);
        await Task.WhenAll(call.Completion, answered.Completion).WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That((call.EndReason, answered.EndReason), Is.EqualTo((EndReason.MigrationFailed, EndReason.MigrationFailed)));
            Assert.That(call.EndDetail, Does.Contain(c.Uri.GetLeftPart(UriPartial.Authority)).And.Contain("404"));
        });
        // Nobody took the handoff: after its timeout the old instance ends the call in the store for good.
        await Eventually.ThatAsync(() => store.Count == 0, "the untaken handoff ended", cancellationToken);
    }

    [Test]
    public async Task ATargetThatIsNotHttpsIsNotFollowed(CancellationToken cancellationToken)
    {
        await using var a = await Http3CallServers.StartAsync(cancellationToken: cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(a, "alice", cancellationToken: cancellationToken);
        await using var bob = await Http3CallServers.ConnectAsync(a, "bob", cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);

        // The bearer token would travel in clear: the clients refuse to follow and end the call.
        Assert.That(a.Registry.Migrate(call.Id, new Uri("http://127.0.0.1:9/")), Is.Null);
        await Task.WhenAll(call.Completion, answered.Completion).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That((call.EndReason, answered.EndReason), Is.EqualTo((EndReason.MigrationFailed, EndReason.MigrationFailed)));
        Assert.That(call.EndDetail, Does.Contain("http://127.0.0.1:9").And.Contain("scheme"));
        Assert.That(call.Migrations, Is.Zero);
    }

    [Test]
    public async Task ARequestThatRacesTheMoveIsSentAgainToTheTargetAndTheEventsFollow(CancellationToken cancellationToken)
    {
        // Signaling only (Kestrel over loopback TCP): alice misses the migrate event, so she learns of the move from a 421.
        var store = new InMemoryCallStore();
        await using var a = await CallServerHost.StartAsync(o => o.CallStore = store);
        await using var b = await CallServerHost.StartAsync(o => o.CallStore = store);
        var streams = new GatedEventStreams();
        await using var alice = await a.ConnectAsync("alice", streams, cancellationToken: cancellationToken);
        await using var bob = await a.ConnectAsync("bob", cancellationToken: cancellationToken);
        var incoming = bob.IncomingCallsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        Assert.That(await incoming.MoveNextAsync(), Is.True);
        var answered = incoming.Current;
        await answered.AnswerAsync(cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);

        streams.CutAndHold();
        Assert.That(a.Registry.Migrate(call.Id, b.Uri), Is.Null);
        await Eventually.ThatAsync(() => answered.Migrations == 1, "bob following the move", cancellationToken);
        Assert.That(call.Migrations, Is.Zero, "alice has not seen the migrate event");

        // Her hold goes to A, which answers 421 with the target; the client sends it again there.
        await call.HoldAsync(cancellationToken);
        Assert.That((call.Migrations, call.Status), Is.EqualTo((1, CallStatus.Held)));
        Assert.That(call.Uri, Does.StartWith(b.Uri.GetLeftPart(UriPartial.Authority)));
        await answered.WaitForStatusAsync(CallStatus.Held, cancellationToken);

        // Her events resume at B with what she missed.
        int requested = streams.Requested;
        streams.Release();
        await Eventually.ThatAsync(() => streams.Requested > requested, "alice's event stream reopened", cancellationToken);
        await answered.HangupAsync(cancellationToken);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That((call.EndReason, call.Migrations), Is.EqualTo((EndReason.Hangup, 1)));
    }
}
