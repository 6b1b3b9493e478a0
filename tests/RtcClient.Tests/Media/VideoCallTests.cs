using RtcClient.Media.Codecs;
using RtcClient.Media.Io;

namespace RtcClient.Tests.Media;

[CancelAfter(60_000)]
public class VideoCallTests
{
    [Test]
    public async Task SyntheticPicturesAreDecodedAtTheFarEndInBothDirections(CancellationToken cancellationToken)
    {
        Assert.That(CodecRegistry.Default.IsAvailable("H264"), Is.True, "OpenH264 is not installed (native/install-deps.sh installs it)");
        await using var harness = await MediaCallHarness.StartAsync();
        var video = Advertisements.WithVideo(320, 240, 15, 300_000);
        var alice = await harness.ConnectAsync("alice", video, cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", video, cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        Assert.That(call.Directive!.Send.Single(f => f.Media == "video").Codec, Is.EqualTo("H264"));

        call.VideoSource = new SyntheticVideoFrameSource(320, 240, 15);
        answered.VideoSource = new SyntheticVideoFrameSource(320, 240, 15);
        var atBob = new VideoFrameCollector();
        var atAlice = new VideoFrameCollector();
        answered.VideoSink = atBob;
        call.VideoSink = atAlice;

        await Eventually.ThatAsync(() => atBob.Sizes.Length >= 5 && atAlice.Sizes.Length >= 5, "5 decoded pictures each way", cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(atBob.Sizes, Has.All.EqualTo((320, 240)));
            Assert.That(atAlice.Sizes, Has.All.EqualTo((320, 240)));
            Assert.That(answered.GetStatistics().VideoReceive!.Frames, Is.GreaterThanOrEqualTo(5));
            Assert.That(call.GetStatistics().VideoSend!.Frames, Is.GreaterThanOrEqualTo(5));
        });
    }

    [Test]
    public async Task VideoAddedMidCallFlowsAndAudioKeepsPlaying(CancellationToken cancellationToken)
    {
        Assert.That(CodecRegistry.Default.IsAvailable("H264"), Is.True, "OpenH264 is not installed (native/install-deps.sh installs it)");
        await using var harness = await MediaCallHarness.StartAsync();
        var video = Advertisements.WithVideo(160, 120, 15, 200_000);
        var alice = await harness.ConnectAsync("alice", cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", video, cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        Assert.That(call.Directive!.Send.Any(f => f.Media == "video"), Is.False);
        call.AudioSource = new ToneGenerator(new AudioFormat(48000), 8000, 1000);
        var atBob = new ToneDetector(new AudioFormat(48000));
        answered.AudioSink = atBob;
        await atBob.WaitForToneAsync(1000, TimeSpan.FromSeconds(10), cancellationToken);
        call.VideoSource = new SyntheticVideoFrameSource(160, 120, 15);
        var atBobVideo = new VideoFrameCollector();
        answered.VideoSink = atBobVideo;
        int revision = answered.Directive!.Revision;

        await call.RenegotiateAsync(video, cancellationToken);
        await Eventually.ThatAsync(() => answered.Directive!.Revision > revision && answered.Directive.Receive.Any(f => f.Media == "video"), "video directive", cancellationToken);
        await Eventually.ThatAsync(() => atBobVideo.Sizes.Length >= 3, "3 decoded pictures", cancellationToken);
        await atBob.WaitForToneAsync(1000, TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(atBobVideo.Sizes, Has.All.EqualTo((160, 120)));
    }
}
