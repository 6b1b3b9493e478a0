using System.Text;
using RtcClient.Media.Io;
using RtcClient.Protocol;
using RtcClient.Server.Applications;
using RtcClient.Server.Hosting;
using RtcClient.Server.Store;
using RtcClient.Tests.Media;
using RtcClient.Tests.Support;

namespace RtcClient.Tests.Calls;

/// <summary>
/// Applications living in the server's process (docs/protocol.md section 6.8), called by and calling
/// clients that reach the server over HTTP/3 and WebTransport on loopback UDP.
/// </summary>
[CancelAfter(60_000)]
public class ApplicationTests
{
    private static readonly TimeSpan ToneTimeout = TimeSpan.FromSeconds(15);
    private static readonly AudioFormat Format = new(48000);

    [Test]
    public async Task AClientCallingTheInProcessEchoHearsItsOwnToneBack(CancellationToken cancellationToken)
    {
        await using var server = await Http3CallServers.StartAsync(cancellationToken: cancellationToken);
        await server.RegisterApplicationAsync("echo", EchoApplication.HandleAsync, cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(server, "alice", cancellationToken: cancellationToken);
        await using var call = await alice.PlaceCallAsync("echo", cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        await call.MediaConnected.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        var heard = new ToneDetector(Format);
        call.AudioSink = heard;

        // What comes back follows what alice sends: her tone, then her other tone.
        call.AudioSource = new ToneGenerator(Format, 8000, 1000);
        await heard.WaitForToneAsync(1000, ToneTimeout, cancellationToken);
        call.AudioSource = new ToneGenerator(Format, 8000, 600);
        await heard.WaitForToneAsync(600, ToneTimeout, cancellationToken);

        var echoLeg = server.Registry.FindLeg(call.Id)!.Peer;
        Assert.That((echoLeg.InProcess, server.Registry.FindLeg(call.Id)!.InProcess), Is.EqualTo((true, false)), "only the echo's leg is in process");
        await call.HangupAsync(cancellationToken);
        Assert.That(call.EndReason, Is.EqualTo(EndReason.Hangup));
    }

    [Test]
    public async Task InProcessHandlersDeclineAndHangUp(CancellationToken cancellationToken)
    {
        await using var server = await Http3CallServers.StartAsync(cancellationToken: cancellationToken);
        await server.RegisterApplicationAsync("busy", (call, token) => call.RejectAsync(token), cancellationToken);
        await server.RegisterApplicationAsync("brief", async (call, token) =>
        {
            await call.AnswerAsync(cancellationToken: token);
            await call.MediaConnected.WaitAsync(TimeSpan.FromSeconds(10), token);
            await call.HangupAsync(token);
        }, cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(server, "alice", cancellationToken: cancellationToken);

        await using var declined = await alice.PlaceCallAsync("busy", cancellationToken: cancellationToken);
        await declined.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(declined.EndReason, Is.EqualTo(EndReason.Declined));

        await using var hungUp = await alice.PlaceCallAsync("brief", cancellationToken: cancellationToken);
        await hungUp.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        await hungUp.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(hungUp.EndReason, Is.EqualTo(EndReason.Hangup));
    }

    [Test]
    public async Task AnInProcessApplicationPlacesACallToAClient(CancellationToken cancellationToken)
    {
        await using var server = await Http3CallServers.StartAsync(cancellationToken: cancellationToken);
        var announcer = await server.Applications.RegisterAsync("announcer", cancellationToken: cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(server, "alice", cancellationToken: cancellationToken);
        var incoming = alice.IncomingCallsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

        var outbound = await announcer.PlaceCallAsync("alice", cancellationToken: cancellationToken);
        Assert.That(await incoming.MoveNextAsync(), Is.True);
        var ringing = incoming.Current;
        Assert.That((ringing.From, ringing.To), Is.EqualTo(("announcer", "alice")));
        var heard = new ToneDetector(Format);
        ringing.AudioSink = heard;
        outbound.AudioSource = new ToneGenerator(Format, 8000, 600);
        await ringing.AnswerAsync(cancellationToken: cancellationToken);
        await outbound.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        await heard.WaitForToneAsync(600, ToneTimeout, cancellationToken);
        Assert.That(server.Registry.FindLeg(outbound.Id)!.InProcess, Is.True);

        await outbound.HangupAsync(cancellationToken);
        await ringing.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(ringing.EndReason, Is.EqualTo(EndReason.Hangup));
    }

    [Test]
    public async Task DtmfFromTheClientReachesTheInProcessHandler(CancellationToken cancellationToken)
    {
        await using var server = await Http3CallServers.StartAsync(cancellationToken: cancellationToken);
        var collected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await server.RegisterApplicationAsync("menu", async (call, token) =>
        {
            var digits = new StringBuilder();
            var three = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            call.DtmfReceived += (_, e) =>
            {
                lock (digits)
                {
                    digits.Append(e.Digit);
                    if (digits.Length == 3) three.TrySetResult();
                }
            };
            await call.AnswerAsync(cancellationToken: token);
            await three.Task.WaitAsync(TimeSpan.FromSeconds(20), token);
            lock (digits) collected.TrySetResult(digits.ToString());
            await call.HangupAsync(token);
        }, cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(server, "alice", cancellationToken: cancellationToken);
        await using var call = await alice.PlaceCallAsync("menu", cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        await call.MediaConnected.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);

        Assert.That(call.SendDtmf("42#"), Is.True);
        Assert.That(await collected.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken), Is.EqualTo("42#"));
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(call.EndReason, Is.EqualTo(EndReason.Hangup));
    }

    [Test]
    public async Task AClientCannotTakeTheNameOfAnInProcessApplication(CancellationToken cancellationToken)
    {
        await using var server = await Http3CallServers.StartAsync(cancellationToken: cancellationToken);
        await server.RegisterApplicationAsync("echo", EchoApplication.HandleAsync, cancellationToken);
        var e = Assert.ThrowsAsync<RtcException>(() => Http3CallServers.ConnectAsync(server, "alice", o => o.Name = "echo", cancellationToken));
        Assert.That((e!.Status, e.Problem!.Type), Is.EqualTo((403, ProblemType.Forbidden)));
    }

    [Test]
    public async Task DrainingEndsCallsHeldByInProcessApplicationsAsMigratedAway(CancellationToken cancellationToken)
    {
        var store = new InMemoryCallStore();
        using var certificate = RiptServerHost.CreateSelfSignedCertificate();
        await using var a = await Http3CallServers.StartAsync(o => o.CallStore = store, certificate, cancellationToken);
        await using var b = await Http3CallServers.StartAsync(o => o.CallStore = store, certificate, cancellationToken);
        await a.RegisterApplicationAsync("echo", EchoApplication.HandleAsync, cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(a, "alice", cancellationToken: cancellationToken);
        await using var call = await alice.PlaceCallAsync("echo", cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);

        // The echo lives in A's process, so its call cannot move: it ends when the drain's time is up.
        string callId = a.Registry.FindLeg(call.Id)!.Call.Id;
        var result = await a.DrainAsync(b.Uri, TimeSpan.FromMilliseconds(300), cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(result.Migrated, Is.Empty);
            Assert.That(result.Remaining, Is.EqualTo(new[] { callId }));
            Assert.That(result.Ended, Is.EqualTo(new[] { callId }));
        });
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(call.EndReason, Is.EqualTo(EndReason.MigratedAway));

        var refused = Assert.ThrowsAsync<RtcException>(() => alice.PlaceCallAsync("echo", cancellationToken: cancellationToken));
        Assert.That((refused!.Status, refused.Problem!.Type), Is.EqualTo((503, ProblemType.Unavailable)));
    }
}
