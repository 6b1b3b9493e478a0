using RtcClient.Protocol;
using RtcClient.Tests.Media;
using RtcClient.Tests.Support;

namespace RtcClient.Tests.Calls;

/// <summary>A call's media session lost mid-call (not the call) is reopened; audio resumes (docs/protocol.md section 7.1).</summary>
[CancelAfter(60_000)]
public class MediaReconnectTests
{
    [Test]
    public async Task AMediaSessionClosedMidCallIsReopenedAndAudioResumesBothWays(CancellationToken cancellationToken)
    {
        await using var server = await Http3CallServers.StartAsync(cancellationToken: cancellationToken);
        await using var alice = await Http3CallServers.ConnectAsync(server, "alice", cancellationToken: cancellationToken);
        await using var bob = await Http3CallServers.ConnectAsync(server, "bob", cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        var tones = await TwoWayTone.StartAsync(call, answered, cancellationToken);

        // The server closes alice's WebTransport session; the call itself is untouched.
        Assert.That(await server.Relay.DisconnectAsync(call.Id), Is.True);
        await Eventually.ThatAsync(() => call.MediaReconnects == 1 && server.Relay.HasSession(call.Id), "alice's media session reopened", cancellationToken);
        // Half a second of packets through the new session, then each tone again.
        await FreshAudio.ArrivesAsync(call, answered, 25, cancellationToken);
        await tones.HeardAsync(cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That((call.Status, answered.Status), Is.EqualTo((CallStatus.Answered, CallStatus.Answered)));
            Assert.That((call.MediaReconnects, answered.MediaReconnects), Is.EqualTo((1, 0)));
            Assert.That(server.Registry.FindLeg(call.Id)!.State, Is.EqualTo(CallState.Answered));
        });
        await call.HangupAsync(cancellationToken);
        await answered.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(answered.EndReason, Is.EqualTo(EndReason.Hangup));
    }

    [Test]
    public async Task AMediaSessionThatCannotBeReopenedEndsTheCallAsMediaTimeout(CancellationToken cancellationToken)
    {
        var mediaTimeout = TimeSpan.FromMilliseconds(800);
        await using var harness = await MediaCallHarness.StartAsync();
        LossyMediaTransport? path = null;
        var alice = await harness.ConnectAsync("alice", configure: o => o.MediaTimeout = mediaTimeout,
            wrap: t => path = new LossyMediaTransport(t), cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);

        path!.RefuseOpen = true;
        var lost = DateTime.UtcNow;
        Assert.That(await harness.Relay.DisconnectAsync(call.Id), Is.True);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        var after = DateTime.UtcNow - lost;
        Assert.Multiple(() =>
        {
            Assert.That(call.EndReason, Is.EqualTo(EndReason.MediaTimeout));
            // Whichever comes first: the reconnect budget running out, or the no-media watchdog.
            Assert.That(call.EndDetail, Does.Contain("could not be reopened").Or.Contain("no media arrived"));
            // Retries with backoff (50, 100, 200, 400 ms...) until the media timeout is spent, not one try and not forever.
            Assert.That(path.Attempts, Is.InRange(4, 8), "reopen attempts");
            Assert.That(after, Is.GreaterThanOrEqualTo(mediaTimeout - TimeSpan.FromMilliseconds(100)).And.LessThan(TimeSpan.FromSeconds(5)));
        });
        // The client told the server, which ended the other leg with the same reason.
        await answered.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(answered.EndReason, Is.EqualTo(EndReason.MediaTimeout));
    }
}
