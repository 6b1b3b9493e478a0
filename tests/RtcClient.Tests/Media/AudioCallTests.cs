using RtcClient.Media;
using RtcClient.Media.Io;
using RtcClient.Protocol;

namespace RtcClient.Tests.Media;

[CancelAfter(60_000)]
public class AudioCallTests
{
    private static readonly TimeSpan ToneTimeout = TimeSpan.FromSeconds(10);

    [TestCase("PCMU")]
    [TestCase("opus")]
    public async Task ToneInEachDirectionIsHeardAtTheFarEnd(string codec, CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        var advertisement = codec == "opus" ? Advertisements.Default : Advertisements.G711Only;
        var alice = await harness.ConnectAsync("alice", advertisement, cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", advertisement, cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        Assert.That(call.Directive!.Send[0].Codec, Is.EqualTo(codec));

        // Sources and sinks in formats other than the codec's exercise the conversions both ways.
        call.AudioSource = new ToneGenerator(new AudioFormat(16000), 8000, 1000);
        answered.AudioSource = new ToneGenerator(new AudioFormat(44100), 8000, 600);
        var atBob = new ToneDetector(new AudioFormat(16000));
        var atAlice = new ToneDetector(new AudioFormat(8000));
        answered.AudioSink = atBob;
        call.AudioSink = atAlice;

        await Task.WhenAll(atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken), atAlice.WaitForToneAsync(600, ToneTimeout, cancellationToken));
        await call.HangupAsync(cancellationToken);
        await answered.Completion.WaitAsync(ToneTimeout, cancellationToken);
    }

    [Test]
    public async Task DtmfBothWaysHoldResumeAndStatistics(CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        var alice = await harness.ConnectAsync("alice", cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        call.AudioSource = new ToneGenerator(new AudioFormat(48000), 8000, 1000);
        var atBob = new ToneDetector(new AudioFormat(48000));
        answered.AudioSink = atBob;
        call.AudioSink = new ToneDetector(new AudioFormat(48000));

        var atBobDigits = new DigitCollector(answered);
        var atAliceDigits = new DigitCollector(call);
        Assert.That(call.SendDtmf("19#"), Is.True);
        Assert.That(answered.SendDtmf("*4", TimeSpan.FromMilliseconds(80)), Is.True);
        Assert.That(call.SendDtmf("x"), Is.False);
        await Task.WhenAll(atBobDigits.WaitForAsync(3, cancellationToken), atAliceDigits.WaitForAsync(2, cancellationToken));
        await atBob.WaitForFramesAsync(25, cancellationToken); // a late duplicate would show up here
        Assert.Multiple(() =>
        {
            Assert.That(atBobDigits.Digits, Is.EqualTo("19#"));
            Assert.That(atAliceDigits.Digits, Is.EqualTo("*4"));
            Assert.That(atBobDigits.Durations, Has.All.InRange(TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(160)));
        });

        await atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken);
        await Eventually.ThatAsync(() => call.GetStatistics().AudioSend?.RoundTripTime is not null, "RTT from RTCP", cancellationToken);
        var stats = answered.GetStatistics();
        Assert.Multiple(() =>
        {
            Assert.That(stats.AudioReceive!.PacketsReceived, Is.GreaterThan(25));
            Assert.That(stats.AudioReceive.PacketsLost, Is.Zero);
            Assert.That(stats.AudioReceive.Jitter, Is.LessThan(TimeSpan.FromMilliseconds(50)));
            // The E-model's value depends on the playout delay this (shared, loaded) machine forces; its presence and range are what is checked.
            Assert.That(stats.AudioReceive.MeanOpinionScore, Is.InRange(1.0, 4.5).And.Not.EqualTo(0));
            Assert.That(stats.AudioReceive.RFactor, Is.GreaterThan(0));
            Assert.That(stats.AudioReceive.PlayoutDelay, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(stats.AudioReceive.TotalSamples, Is.GreaterThan(0));
            Assert.That(stats.AudioSend!.PacketsSent, Is.GreaterThan(25));
            Assert.That(stats.AudioSend.Bitrate, Is.GreaterThan(0));
            Assert.That(call.GetStatistics().AudioSend!.RoundTripTime, Is.LessThan(TimeSpan.FromSeconds(1)));
        });

        // Hold: nothing flows toward the holder's peer.
        await call.HoldAsync(cancellationToken);
        await answered.WaitForStatusAsync(CallStatus.Held, cancellationToken);
        Assert.That(answered.Directive!.Hold, Is.EqualTo(HoldState.Remote));
        await atBob.WaitForFramesAsync(10, cancellationToken); // packets in flight before the hold drain
        long received = answered.GetStatistics().AudioReceive!.PacketsReceived;
        long sent = call.GetStatistics().AudioSend!.PacketsSent;
        await atBob.WaitForFramesAsync(25, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(answered.GetStatistics().AudioReceive!.PacketsReceived, Is.EqualTo(received), "bob received audio while alice held");
            Assert.That(call.GetStatistics().AudioSend!.PacketsSent, Is.EqualTo(sent), "alice sent audio while holding");
        });

        await call.ResumeAsync(cancellationToken);
        await answered.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        await atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken);
        Assert.That(answered.GetStatistics().AudioReceive!.PacketsReceived, Is.GreaterThan(received + 10));
    }
}
