using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Simulation;
using RtcClient.Media.Streams;
using RtcClient.Media.Tests.TestSupport;

namespace RtcClient.Media.Tests.Streams;

public class ComfortNoiseTests
{
    /// <summary>2 s of tone, 2 s of silence (or quiet noise), 2 s of tone over a 30 ms link on a virtual clock; returns the packets sent in the silence.</summary>
    private static long TalkPauseTalk(IAudioEncoder encoder, IAudioDecoder decoder, ToneSource source, RecordingSink sink, out AudioReceiveStream receiver,
        IAudioEncoder? comfortNoiseEncoder = null, IAudioDecoder? comfortNoiseDecoder = null, AudioSendStreamOptions? options = null)
    {
        var clock = new VirtualMediaClock();
        var network = new SimulatedNetwork(clock, 1);
        clock.Register(network);
        var session = new MediaSession();
        var link = network.CreateLink(session, new LinkConditions { Delay = TimeSpan.FromMilliseconds(30) });
        var sender = new AudioSendStream(options ?? new AudioSendStreamOptions { FlowId = 0, RtcpFlowId = 1, Ssrc = 5 }, encoder, source, link, comfortNoiseEncoder);
        receiver = new AudioReceiveStream(new AudioReceiveStreamOptions { RtcpFlowId = 1, LocalSsrc = 6 }, decoder, sink, null, comfortNoiseDecoder);
        session.AddRtpFlow(0, receiver);
        clock.Register(sender);
        clock.Register(receiver);

        clock.Advance(TimeSpan.FromSeconds(2));
        long packetsBefore = sender.Statistics.PacketsSent;
        source.Silent = true;
        clock.Advance(TimeSpan.FromSeconds(2));
        long silentPackets = sender.Statistics.PacketsSent - packetsBefore;
        source.Silent = false;
        clock.Advance(TimeSpan.FromSeconds(2));
        return silentPackets;
    }

    [Test]
    public void Silence_is_sent_as_sparse_sid_packets_and_played_as_comfort_noise()
    {
        var source = new ToneSource(440, 8000);
        var sink = new RecordingSink(8000 * 7);
        var cnDecoder = new TestComfortNoiseCodec();
        long silentPackets = TalkPauseTalk(new TestPcmCodec(), new TestPcmCodec(), source, sink, out var receiver, new TestComfortNoiseCodec(), cnDecoder,
            new AudioSendStreamOptions { FlowId = 0, RtcpFlowId = 1, Ssrc = 5, RtcpInterval = TimeSpan.FromHours(1) });

        var jb = receiver.JitterBufferStatistics;
        TestContext.Out.WriteLine($"silent packets {silentPackets}; SIDs decoded {cnDecoder.SidsDecoded}; {jb}");
        Assert.That(silentPackets, Is.InRange(9, 12), "one SID per 10 frames (~100 audio packets would be sent otherwise)");
        Assert.That(cnDecoder.SidsDecoded, Is.InRange(9, 12));
        Assert.That(jb.ComfortNoiseSamples / 160, Is.InRange(95, 101), "2 s of comfort noise");
        Assert.That(jb.ConcealedSamples, Is.Zero, "silence is not loss");
        Assert.That(jb.LostFrames, Is.Zero);
        // The tone is back after the silence.
        var tail = sink.Samples[^8000..];
        Assert.That(Goertzel.Power(tail, 440, 8000), Is.GreaterThan(100 * Goertzel.Power(tail, 1000, 8000)));
        var middle = sink.Samples[(8000 * 3)..(8000 * 3 + 4000)];
        Assert.That(middle.ToArray().All(s => s == TestComfortNoiseCodec.NoiseValue), Is.True, "comfort noise in the middle of the silence");
    }

    [Test]
    public void G711_with_the_rfc_3389_codec_plays_quiet_noise_during_silence()
    {
        var source = new ToneSource(440, 8000) { NoiseAmplitude = 30 };
        var sink = new RecordingSink(8000 * 7);
        TalkPauseTalk(new G711Encoder(G711Law.MuLaw), new G711Decoder(G711Law.MuLaw), source, sink, out var receiver, new ComfortNoiseEncoder(), new ComfortNoiseDecoder());

        var jb = receiver.JitterBufferStatistics;
        TestContext.Out.WriteLine(jb);
        Assert.That(jb.ComfortNoiseSamples / 160, Is.InRange(95, 101));
        Assert.That(jb.ConcealedSamples, Is.Zero);
        var middle = sink.Samples[(8000 * 3)..(8000 * 3 + 4000)];
        double rms = Math.Sqrt(middle.ToArray().Average(x => (double)x * x));
        TestContext.Out.WriteLine($"comfort noise rms {rms}");
        Assert.That(rms, Is.GreaterThan(3).And.LessThan(200), "audible but quiet background noise, not silence and not the tone");
        var tail = sink.Samples[^8000..];
        Assert.That(Goertzel.Power(tail, 440, 8000), Is.GreaterThan(100 * Goertzel.Power(tail, 1000, 8000)));
    }

    [Test]
    public void Opus_dtx_silence_is_sparse_plays_the_decoders_comfort_noise_and_counts_no_loss()
    {
        var source = new ToneSource(440, 48000) { NoiseAmplitude = 30 };
        var sink = new RecordingSink(48000 * 7);
        using var encoder = new OpusEncoder { Dtx = true };
        using var decoder = new OpusDecoder();
        long silentPackets = TalkPauseTalk(encoder, decoder, source, sink, out var receiver,
            options: new AudioSendStreamOptions { FlowId = 0, RtcpFlowId = 1, Ssrc = 5, RtcpInterval = TimeSpan.FromHours(1) });

        var jb = receiver.JitterBufferStatistics;
        var stats = receiver.Statistics;
        TestContext.Out.WriteLine($"silent packets {silentPackets}; {jb}");
        Assert.Multiple(() =>
        {
            // libopus needs about 0.5 s to call the noise silence, then sends a marker and a refresh every 400 ms.
            Assert.That(silentPackets, Is.LessThan(40), "100 packets would be sent without DTX");
            Assert.That(jb.ComfortNoiseSamples / 960, Is.GreaterThan(55), "the DTX gaps are comfort noise");
            Assert.That(stats.ComfortNoiseSamples, Is.EqualTo(jb.ComfortNoiseSamples));
            Assert.That(jb.ConcealedSamples, Is.Zero, "silence is not loss");
            Assert.That(jb.LostFrames, Is.Zero);
            Assert.That((stats.PacketsLost, stats.LossRate), Is.EqualTo((0L, 0.0)));
        });
        // Late in the silence (well inside DTX) the decoder's comfort noise is quiet but not digital silence.
        var quiet = sink.Samples[(48000 * 3 + 24000)..(48000 * 4)];
        double rms = Math.Sqrt(quiet.ToArray().Average(x => (double)x * x));
        TestContext.Out.WriteLine($"comfort noise rms {rms}");
        Assert.That(rms, Is.GreaterThan(1).And.LessThan(200));
        var tail = sink.Samples[^24000..];
        Assert.That(Goertzel.Power(tail, 440, 48000), Is.GreaterThan(100 * Goertzel.Power(tail, 1000, 48000)), "the tone is back after the silence");
    }
}
