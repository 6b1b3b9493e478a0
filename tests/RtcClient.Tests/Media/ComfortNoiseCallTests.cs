using RtcClient.Media.Io;
using RtcClient.Protocol;
using RtcClient.Server.Hosting;

namespace RtcClient.Tests.Media;

/// <summary>Silence in calls: G.711 with RFC 3389 comfort noise, and Opus DTX, as the directive says.</summary>
[CancelAfter(60_000)]
public class ComfortNoiseCallTests
{
    private static readonly TimeSpan ToneTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(2);
    private const int SilentFrames = 150; // 3 s: longer than the media timeout
    private const int CountedFrames = 100; // the last 2 s: libopus needs about 0.5 s of noise before it calls it silence

    private static Advertisement OpusWithDtx()
    {
        var audio = Advertisements.Default.Audio!;
        CodecCapability[] Dtx(IReadOnlyList<CodecCapability> list) => [.. list.Select(c => c.Codec == "opus" ? c with { Dtx = true } : c)];
        return Advertisements.Default with { Audio = new MediaCapabilities { Send = Dtx(audio.Send), Receive = Dtx(audio.Receive) } };
    }

    [TestCase("PCMU")]
    [TestCase("opus")]
    public async Task SilenceIsSentSparselyPlayedAsComfortNoiseAndNotCountedAsLoss(string codec, CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync(o => o.TrunkGroups.Add(new TrunkGroupOptions { Id = "default", MediaTimeout = MediaTimeout }));
        var advertisement = codec == "opus" ? OpusWithDtx() : Advertisements.G711Only;
        var source = new SpeechAndSilenceSource(new AudioFormat(8000));
        SilenceCountingMediaTransport? counting = null;
        var alice = await harness.ConnectAsync("alice", advertisement, wrap: t => counting = new SilenceCountingMediaTransport(t, source, 2), cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", advertisement, cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        var sent = call.Directive!.Send;
        Assert.That(sent[0].Codec, Is.EqualTo(codec));
        Assert.That(codec == "opus" ? sent[0].Dtx : sent.Any(f => f.Codec == "CN"), Is.True, "the directive enables silence suppression");

        var detector = new ToneDetector(new AudioFormat(8000));
        var atBob = new LevelRecorder(detector);
        answered.AudioSink = atBob;
        call.AudioSource = source;
        await detector.WaitForToneAsync(1000, ToneTimeout, cancellationToken);

        source.Silent = true;
        await Eventually.ThatAsync(() => source.SilentFramesRead >= SilentFrames - CountedFrames, "the start of the silence", cancellationToken);
        long before = counting!.AudioPacketsSentInSilence;
        await Eventually.ThatAsync(() => source.SilentFramesRead >= SilentFrames, $"{SilentFrames} silent frames", cancellationToken);
        long sentInSilence = counting.AudioPacketsSentInSilence - before;
        source.Silent = false;
        await detector.WaitForToneAsync(1000, ToneTimeout, cancellationToken); // speech after the silence is heard

        var received = answered.GetStatistics().AudioReceive!;
        int frame = codec == "opus" ? 960 : 160;
        var quietRun = LongestQuietRun(atBob.Levels);
        TestContext.Out.WriteLine($"{codec}: {sentInSilence} packets in the last {CountedFrames} of {SilentFrames} silent frames; comfort noise {received.ComfortNoiseSamples / frame} frames, "
            + $"concealed {received.ConcealedSamples / frame}; quiet run of {quietRun.Length} frames at median level {Median(quietRun):F1}");
        Assert.Multiple(() =>
        {
            // G.711 sends a SID every 10 frames; Opus a DTX marker and a refresh every 400 ms.
            Assert.That(sentInSilence, Is.LessThan(CountedFrames / 4), "far fewer packets than frames during silence");
            Assert.That(sentInSilence, Is.GreaterThan(0), "the noise is refreshed during silence");
            Assert.That(received.PacketsLost, Is.Zero);
            Assert.That(received.LossRate, Is.Zero);
            Assert.That(received.ComfortNoiseSamples / frame, Is.GreaterThan(CountedFrames / 2), "the gaps are comfort noise");
            Assert.That(received.ConcealedSamples, Is.LessThan(received.ComfortNoiseSamples / 4), "the gaps are not concealment");
            Assert.That(quietRun, Has.Length.GreaterThan(SilentFrames / 2), "bob heard a long quiet stretch");
            Assert.That(Median(quietRun), Is.GreaterThan(2).And.LessThan(150), "comfort noise: low but not digital silence");
            Assert.That((call.Status, answered.Status), Is.EqualTo((CallStatus.Answered, CallStatus.Answered)), "silence did not trip the media timeout");
        });
    }

    /// <summary>The longest run of frames quieter than the tone after playout started.</summary>
    private static double[] LongestQuietRun(double[] levels)
    {
        int first = Array.FindIndex(levels, l => l > 1000);
        int bestStart = 0, bestLength = 0;
        for (int i = Math.Max(first, 0), start = -1; i <= levels.Length; i++)
        {
            bool quiet = i < levels.Length && levels[i] < 300;
            if (quiet && start < 0)
                start = i;
            if (!quiet && start >= 0)
            {
                if (i - start > bestLength)
                    (bestStart, bestLength) = (start, i - start);
                start = -1;
            }
        }
        return levels[bestStart..(bestStart + bestLength)];
    }

    private static double Median(double[] values) => values.Length == 0 ? 0 : values.Order().ElementAt(values.Length / 2);
}
