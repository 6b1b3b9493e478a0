using RtcClient.Media.Clock;
using RtcClient.Media.Simulation;
using RtcClient.Media.Streams;

namespace RtcClient.Media.Tests.Streams;

public class VideoOverSimulatedLinkTests
{
    private sealed class FrameDriver(VideoSendStream stream) : IMediaTickable
    {
        private uint _timestamp;
        private int _index;

        public bool KeyFrameWanted { get; set; } = true;

        public List<uint> KeyFrames { get; } = [];

        public void OnTick(TimeSpan now)
        {
            bool key = KeyFrameWanted;
            KeyFrameWanted = false;
            var random = new Random(_index++);
            byte[] slice = new byte[key ? 6000 : 400 + random.Next(2500)];
            random.NextBytes(slice);
            for (int i = 1; i < slice.Length; i++)
                slice[i] |= 0x10; // no emulated start codes
            slice[0] = key ? (byte)0x65 : (byte)0x41;
            byte[] au = key ? [0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1F, 0, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80, 0, 0, 0, 1, .. slice] : [0, 0, 0, 1, .. slice];
            if (key)
                KeyFrames.Add(_timestamp);
            stream.SendAccessUnit(au, _timestamp);
            _timestamp += 1800; // 20 ms at 90 kHz
        }
    }

    private sealed class VideoCall
    {
        public VideoCall(LinkConditions forward, bool nack, int seed)
        {
            Clock = new VirtualMediaClock();
            var network = new SimulatedNetwork(Clock, seed);
            Clock.Register(network);
            var a = new MediaSession();
            var b = new MediaSession();
            Forward = network.CreateLink(b, forward);
            var back = network.CreateLink(a, new LinkConditions { Delay = TimeSpan.FromMilliseconds(30) });
            Sender = new VideoSendStream(new VideoSendStreamOptions { FlowId = 2, RtcpFlowId = 3, Ssrc = 0xAAAA, InitialSequenceNumber = 65000 }, Forward);
            Receiver = new VideoReceiveStream(new VideoReceiveStreamOptions { RtcpFlowId = 3, LocalSsrc = 0xBBBB, EnableNack = nack }, back);
            Driver = new FrameDriver(Sender);
            Sender.KeyFrameRequested += () => Driver.KeyFrameWanted = true;
            Receiver.AccessUnitReceived += (_, ts, key) => Received.Add((ts, key));
            a.AddRtcpFlow(3);
            a.AddRtcpHandler(Sender);
            b.AddRtpFlow(2, Receiver);
            b.AddRtcpFlow(3);
            b.AddRtcpHandler(Receiver);
            Clock.Register(Driver);
            Clock.Register(Sender);
            Clock.Register(Receiver);
        }

        public VirtualMediaClock Clock { get; }

        public SimulatedDatagramLink Forward { get; }

        public VideoSendStream Sender { get; }

        public VideoReceiveStream Receiver { get; }

        public FrameDriver Driver { get; }

        public List<(uint Ts, bool Key)> Received { get; } = [];
    }

    [Test]
    public void Reordered_packets_yield_every_frame_in_order()
    {
        var call = new VideoCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(30), Jitter = TimeSpan.FromMilliseconds(5), ReorderRate = 0.1, ReorderDelay = TimeSpan.FromMilliseconds(3) }, nack: true, seed: 4);
        call.Clock.Advance(TimeSpan.FromSeconds(4));
        TestContext.Out.WriteLine($"{call.Forward.Statistics}; {call.Receiver.AssemblerStatistics}");
        Assert.That(call.Forward.Statistics.Reordered, Is.GreaterThan(30));
        Assert.That(call.Received.Select(r => r.Ts), Is.Ordered.Ascending);
        Assert.That(call.Received, Has.Count.InRange(198, 200), "all frames but those still in flight");
        Assert.That(call.Receiver.AssemblerStatistics.FramesDropped, Is.Zero);
    }

    [Test]
    public void Loss_without_nack_sends_pli_and_recovers_on_the_next_key_frame()
    {
        var call = new VideoCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(30), LossRate = 0.02 }, nack: false, seed: 5);
        call.Clock.Advance(TimeSpan.FromSeconds(6));
        var send = call.Sender.Statistics;
        var recv = call.Receiver.Statistics;
        TestContext.Out.WriteLine($"{call.Forward.Statistics}; {call.Receiver.AssemblerStatistics}; PLIs {recv.KeyFrameRequests}; key frames sent {call.Driver.KeyFrames.Count}");
        Assert.That(recv.KeyFrameRequests, Is.GreaterThan(0), "PLI sent after loss");
        Assert.That(send.KeyFrameRequests, Is.GreaterThan(0), "sender saw PLI");
        Assert.That(call.Driver.KeyFrames, Has.Count.GreaterThan(1), "sender answered with key frames");
        // After every loss the next delivered frame is a key frame.
        var keyTimestamps = call.Received.Where(r => r.Key).Select(r => r.Ts).ToList();
        Assert.That(keyTimestamps, Has.Count.GreaterThan(1), "recovered on later key frames");
        Assert.That(call.Received.Select(r => r.Ts), Is.Ordered.Ascending);
        Assert.That(call.Received.Count, Is.GreaterThan(150), "most of the 300 frames are shown");
    }

    [Test]
    public void Nack_retransmissions_repair_most_losses()
    {
        var withNack = new VideoCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(30), LossRate = 0.02 }, nack: true, seed: 5);
        var without = new VideoCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(30), LossRate = 0.02 }, nack: false, seed: 5);
        withNack.Clock.Advance(TimeSpan.FromSeconds(6));
        without.Clock.Advance(TimeSpan.FromSeconds(6));
        TestContext.Out.WriteLine($"nack: {withNack.Receiver.AssemblerStatistics}, retransmitted {withNack.Sender.Statistics.Retransmissions}; without: {without.Receiver.AssemblerStatistics}");
        Assert.That(withNack.Sender.Statistics.Retransmissions, Is.GreaterThan(0));
        Assert.That(withNack.Received.Count, Is.GreaterThan(without.Received.Count));
        Assert.That(withNack.Receiver.AssemblerStatistics.FramesDropped, Is.LessThan(without.Receiver.AssemblerStatistics.FramesDropped));
    }
}
