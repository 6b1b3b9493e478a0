using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Simulation;
using RtcClient.Media.Streams;
using RtcClient.Media.Tests.TestSupport;

namespace RtcClient.Media.Tests.Streams;

public class ComfortNoiseTests
{
    [Test]
    public void Silence_is_sent_as_sparse_sid_packets_and_played_as_comfort_noise()
    {
        var clock = new VirtualMediaClock();
        var network = new SimulatedNetwork(clock, 1);
        clock.Register(network);
        var session = new MediaSession();
        var link = network.CreateLink(session, new LinkConditions { Delay = TimeSpan.FromMilliseconds(30) });
        var source = new ToneSource(440, 8000);
        var sink = new RecordingSink(8000 * 7);
        var cnDecoder = new TestComfortNoiseCodec();
        var sender = new AudioSendStream(new AudioSendStreamOptions { FlowId = 0, RtcpFlowId = 1, Ssrc = 5, RtcpInterval = TimeSpan.FromHours(1) },
            new TestPcmCodec(), source, link, new TestComfortNoiseCodec());
        var receiver = new AudioReceiveStream(new AudioReceiveStreamOptions { RtcpFlowId = 1, LocalSsrc = 6 }, new TestPcmCodec(), sink, null, cnDecoder);
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
        var clock = new VirtualMediaClock();
        var network = new SimulatedNetwork(clock, 1);
        clock.Register(network);
        var session = new MediaSession();
        var link = network.CreateLink(session, new LinkConditions { Delay = TimeSpan.FromMilliseconds(30) });
        var source = new ToneSource(440, 8000) { NoiseAmplitude = 30 };
        var sink = new RecordingSink(8000 * 7);
        var sender = new AudioSendStream(new AudioSendStreamOptions { FlowId = 0, RtcpFlowId = 1, Ssrc = 5 },
            new G711Encoder(G711Law.MuLaw), source, link, new ComfortNoiseEncoder());
        var receiver = new AudioReceiveStream(new AudioReceiveStreamOptions { RtcpFlowId = 1, LocalSsrc = 6 }, new G711Decoder(G711Law.MuLaw), sink, null, new ComfortNoiseDecoder());
        session.AddRtpFlow(0, receiver);
        clock.Register(sender);
        clock.Register(receiver);
        clock.Advance(TimeSpan.FromSeconds(2));
        source.Silent = true;
        clock.Advance(TimeSpan.FromSeconds(2));
        source.Silent = false;
        clock.Advance(TimeSpan.FromSeconds(2));

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
}
