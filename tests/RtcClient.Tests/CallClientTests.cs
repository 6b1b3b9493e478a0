using RtcClient.Protocol;

namespace RtcClient.Tests;

[CancelAfter(60_000)]
public class CallClientTests
{
    private static async Task<Call> NextIncomingAsync(CallClient client, CancellationToken cancellationToken)
    {
        await foreach (var call in client.IncomingCallsAsync(cancellationToken)) return call;
        throw new AssertionException("no incoming call");
    }

    [Test]
    public async Task PlacedCallRingsTheCalleeAndIsAnswered(CancellationToken cancellationToken)
    {
        await using var server = await CallServerHost.StartAsync();
        await using var alice = await server.ConnectAsync("alice", cancellationToken: cancellationToken);
        await using var bob = await server.ConnectAsync("bob", cancellationToken: cancellationToken);

        var incoming = NextIncomingAsync(bob, cancellationToken);
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        var bobCall = await incoming;
        Assert.That((bobCall.IsIncoming, bobCall.From, bobCall.To), Is.EqualTo((true, "alice", "bob")));
        await call.WaitForStatusAsync(CallStatus.Alerting, cancellationToken);

        await bobCall.AnswerAsync(cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(call.Directive!.Send[0].Codec, Is.EqualTo("opus"));
            Assert.That(bobCall.Status, Is.EqualTo(CallStatus.Answered));
        });

        await bobCall.HangupAsync(cancellationToken);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That((call.Status, call.EndReason), Is.EqualTo((CallStatus.Ended, EndReason.Hangup)));
    }

    [Test]
    public async Task DeclinedCallEndsAsDeclinedAndWaitingForAnswerThrows(CancellationToken cancellationToken)
    {
        await using var server = await CallServerHost.StartAsync();
        await using var alice = await server.ConnectAsync("alice", cancellationToken: cancellationToken);
        await using var bob = await server.ConnectAsync("bob", cancellationToken: cancellationToken);
        var incoming = NextIncomingAsync(bob, cancellationToken);
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        await (await incoming).RejectAsync(cancellationToken);
        var e = Assert.ThrowsAsync<RtcException>(() => call.WaitForStatusAsync(CallStatus.Answered, cancellationToken));
        Assert.That(e!.Message, Does.Contain("declined"));
        Assert.That(call.EndReason, Is.EqualTo(EndReason.Declined));
    }

    [Test]
    public async Task G711IsUsedWhenOneSideOnlyHasG711(CancellationToken cancellationToken)
    {
        await using var server = await CallServerHost.StartAsync();
        await using var alice = await server.ConnectAsync("alice", cancellationToken: cancellationToken);
        await using var bob = await server.ConnectAsync("bob", Advertisements.G711Only, cancellationToken);
        var incoming = NextIncomingAsync(bob, cancellationToken);
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        await (await incoming).AnswerAsync(cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        Assert.That(call.Directive!.Send[0].Codec, Is.EqualTo("PCMU"));
        Assert.That(call.Directive!.Receive[0].Codec, Is.EqualTo("PCMU"));
    }

    [Test]
    public async Task HoldAndResumeAreSeenByTheOtherSide(CancellationToken cancellationToken)
    {
        await using var server = await CallServerHost.StartAsync();
        await using var alice = await server.ConnectAsync("alice", cancellationToken: cancellationToken);
        await using var bob = await server.ConnectAsync("bob", cancellationToken: cancellationToken);
        var incoming = NextIncomingAsync(bob, cancellationToken);
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        var bobCall = await incoming;
        await bobCall.AnswerAsync(cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);

        await call.HoldAsync(cancellationToken);
        await bobCall.WaitForStatusAsync(CallStatus.Held, cancellationToken);
        Assert.That(bobCall.Directive!.Hold, Is.EqualTo(HoldState.Remote));
        await call.ResumeAsync(cancellationToken);
        await bobCall.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        Assert.That(bobCall.Directive!.Hold, Is.EqualTo(HoldState.None));
    }

    [Test]
    public async Task PingMeasuresTheSignalingRoundTrip(CancellationToken cancellationToken)
    {
        await using var server = await CallServerHost.StartAsync();
        await using var alice = await server.ConnectAsync("alice", cancellationToken: cancellationToken);
        await using var bob = await server.ConnectAsync("bob", cancellationToken: cancellationToken);
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        var rtt = await call.PingAsync(cancellationToken);
        Assert.That(rtt, Is.GreaterThan(TimeSpan.Zero).And.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task ServerRefusalsBecomeRtcExceptionsWithTheProblem(CancellationToken cancellationToken)
    {
        await using var server = await CallServerHost.StartAsync();
        await using var alice = await server.ConnectAsync("alice", cancellationToken: cancellationToken);
        var e = Assert.ThrowsAsync<RtcException>(() => alice.PlaceCallAsync("nobody", cancellationToken: cancellationToken));
        Assert.That((e!.Status, e.Problem!.Type), Is.EqualTo((404, ProblemType.NotFound)));

        var bad = Assert.ThrowsAsync<RtcException>(() => CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.Uri, Token = "wrong", Name = "mallory", HttpHandler = new SocketsHttpHandler(),
        }, cancellationToken));
        Assert.That(bad!.Status, Is.EqualTo(401));
    }

    [Test]
    public async Task DisposingTheClientHangsUpItsCalls(CancellationToken cancellationToken)
    {
        await using var server = await CallServerHost.StartAsync();
        await using var bob = await server.ConnectAsync("bob", cancellationToken: cancellationToken);
        var alice = await server.ConnectAsync("alice", cancellationToken: cancellationToken);
        var incoming = NextIncomingAsync(bob, cancellationToken);
        var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        var bobCall = await incoming;
        await bobCall.AnswerAsync(cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        await alice.DisposeAsync();
        await bobCall.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(bobCall.EndReason, Is.EqualTo(EndReason.Hangup));
    }

    [Test]
    public async Task AThrowingSubscriberDoesNotStopTheCallFromFollowingTheServer(CancellationToken cancellationToken)
    {
        await using var server = await CallServerHost.StartAsync();
        await using var alice = await server.ConnectAsync("alice", cancellationToken: cancellationToken);
        await using var bob = await server.ConnectAsync("bob", cancellationToken: cancellationToken);
        bob.IncomingCall += (_, _) => throw new InvalidOperationException("application bug");
        var incoming = NextIncomingAsync(bob, cancellationToken);
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        call.StatusChanged += (_, _) => throw new InvalidOperationException("application bug");
        var bobCall = await incoming;
        await bobCall.AnswerAsync(cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        await bobCall.HangupAsync(cancellationToken);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(call.EndReason, Is.EqualTo(EndReason.Hangup));

        // The handler loop survived the throwing IncomingCall subscriber: a second call still arrives.
        var again = NextIncomingAsync(bob, cancellationToken);
        await using var second = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        Assert.That((await again).From, Is.EqualTo("alice"));
    }
}
