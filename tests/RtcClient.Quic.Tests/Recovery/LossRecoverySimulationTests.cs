using RtcClient.Quic.Crypto;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Streams;

namespace RtcClient.Quic.Tests.Recovery;

/// <summary>
/// The recovery and stream components wired together the way a connection would, over a simulated
/// lossy, reordering, delaying network: a stream must arrive complete and intact.
/// </summary>
public class LossRecoverySimulationTests
{
    private const long Ms = 1000;
    private const EncryptionLevel App = EncryptionLevel.Application;

    private sealed record DataPacket(long PacketNumber, bool AckEliciting, List<(long Offset, byte[] Data, bool Fin)> Chunks);

    private sealed record AckPacket(AckRange[] Ranges, long AckDelay, long MaxStreamData);

    private sealed class Sender : ILossDetectionHandler
    {
        public SendBuffer Buffer { get; } = new(256 * 1024);

        public void OnPacketAcked(EncryptionLevel space, SentPacket packet)
        {
            foreach (var f in packet.Frames)
            {
                Buffer.OnAcked(f.Offset, f.Length, f.Fin);
            }
        }

        public void OnPacketLost(EncryptionLevel space, SentPacket packet)
        {
            foreach (var f in packet.Frames)
            {
                Buffer.OnLost(f.Offset, f.Length, f.Fin);
            }
        }
    }

    [TestCase(1, 0.10)]
    [TestCase(2, 0.10)]
    [TestCase(3, 0.25)]
    public void A_1MB_stream_arrives_intact_under_loss_reordering_and_delay(int seed, double lossRate)
    {
        var random = new Random(seed);
        var payload = new byte[1 << 20];
        random.NextBytes(payload);

        // Sender side.
        var sender = new Sender();
        var cc = new NewReno();
        var detector = new LossDetector(isServer: true, cc, sender) { HandshakeConfirmed = true, MaxAckDelay = 25 * Ms };
        var pacer = new Pacer();
        var sendCredit = new SendFlowController(64 * 1024);
        long nextPacketNumber = 0;
        int written = 0;

        // Receiver side.
        var received = new ReceivedPacketTracker(delayAcks: true);
        var receiveCredit = new ReceiveFlowController(64 * 1024, 1024 * 1024, isConnectionLevel: false);
        using var receiveBuffer = new ReceiveBuffer(receiveCredit.Limit);
        var output = new MemoryStream();
        var readChunk = new byte[16 * 1024];
        bool updateOwed = false;

        // Network: one-way delay 50 ms + up to 10 ms jitter (reordering), random loss both ways.
        var toReceiver = new PriorityQueue<DataPacket, long>();
        var toSender = new PriorityQueue<AckPacket, long>();
        long Delay() => 50 * Ms + random.Next(0, 10 * (int)Ms);
        bool Lost() => random.NextDouble() < lossRate;

        void SendDataPacket(long now, bool probe)
        {
            var packet = detector.RentPacket();
            packet.PacketNumber = nextPacketNumber++;
            packet.AckEliciting = true;
            packet.InFlight = true;
            packet.SentBytes = 1200;
            var chunks = new List<(long, byte[], bool)>();
            if (sender.Buffer.TryGetNextChunk(1100, sendCredit.Limit, out var chunk))
            {
                if (!chunk.IsRetransmission)
                {
                    sendCredit.Consume(chunk.Length);
                }
                var bytes = new byte[chunk.Length];
                sender.Buffer.CopyTo(chunk.Offset, bytes);
                chunks.Add((chunk.Offset, bytes, chunk.Fin));
                packet.AddFrame(new SentFrame(0x08, 0, chunk.Offset, chunk.Length, chunk.Fin));
            }
            else
            {
                Assert.That(probe, Is.True, "only probes go out without data (as PING)");
            }
            detector.OnPacketSent(App, packet, now);
            pacer.OnPacketSent(now, 1200, cc.CongestionWindow, detector.Rtt.SmoothedRtt);
            if (!Lost())
            {
                toReceiver.Enqueue(new DataPacket(packet.PacketNumber, true, chunks), now + Delay());
            }
        }

        void SendAck(long now)
        {
            var ranges = new AckRange[ReceivedPacketTracker.DefaultMaxAckRanges];
            int n = received.GetAckRanges(ranges);
            received.OnAckSent();
            updateOwed = false;
            if (!Lost())
            {
                toSender.Enqueue(new AckPacket(ranges[..n], received.GetAckDelay(now), receiveCredit.Limit), now + Delay());
            }
        }

        long time = 0;
        int iterations = 0;
        for (; iterations < 1_000_000; iterations++)
        {
            // The application keeps the send buffer full.
            if (written < payload.Length)
            {
                written += sender.Buffer.Write(payload.AsSpan(written));
                if (written == payload.Length)
                {
                    sender.Buffer.Complete();
                }
            }
            if (receiveBuffer.IsFinished && sender.Buffer.IsAllAcknowledged)
            {
                break;
            }

            // Next event.
            long next = long.MaxValue;
            if (toReceiver.TryPeek(out _, out long t1))
            {
                next = Math.Min(next, t1);
            }
            if (toSender.TryPeek(out _, out long t2))
            {
                next = Math.Min(next, t2);
            }
            next = Math.Min(next, detector.LossDetectionTimer);
            next = Math.Min(next, received.AckDeadline);
            bool canSend = cc.CanSend(1200) && sender.Buffer.HasDataToSend(sendCredit.Limit);
            if (canSend)
            {
                next = Math.Min(next, pacer.GetNextSendTime(time, 1200, cc.CongestionWindow, detector.Rtt.SmoothedRtt));
            }
            Assert.That(next, Is.LessThan(long.MaxValue), "the simulation deadlocked");
            time = Math.Max(time, next);

            while (toReceiver.TryPeek(out var data, out long at) && at <= time)
            {
                toReceiver.Dequeue();
                if (!received.OnPacketReceived(data.PacketNumber, data.AckEliciting, time))
                {
                    continue;
                }
                foreach (var (offset, bytes, fin) in data.Chunks)
                {
                    receiveCredit.OnDataReceived(receiveBuffer.OnData(offset, bytes, fin));
                }
                for (int n; (n = receiveBuffer.Read(readChunk)) > 0;)
                {
                    output.Write(readChunk, 0, n);
                    receiveCredit.OnDataConsumed(n);
                }
                if (receiveCredit.TryGetUpdate(time, 100 * Ms, out long newLimit))
                {
                    receiveBuffer.Limit = newLimit;
                    updateOwed = true;
                }
            }
            if (received.ShouldSendAck(time) || (updateOwed && received.HasNewAckInformation))
            {
                SendAck(time);
            }

            while (toSender.TryPeek(out var ack, out long at) && at <= time)
            {
                toSender.Dequeue();
                sendCredit.OnMaxDataReceived(ack.MaxStreamData);
                detector.OnAckReceived(App, ack.Ranges, ack.AckDelay, time);
            }

            if (time >= detector.LossDetectionTimer)
            {
                var probe = detector.OnLossDetectionTimeout(time);
                for (int i = 0; i < probe.Count; i++)
                {
                    SendDataPacket(time, probe: true);
                }
            }

            for (int burst = 0; burst < 100 && cc.CanSend(1200) && sender.Buffer.HasDataToSend(sendCredit.Limit)
                && pacer.GetNextSendTime(time, 1200, cc.CongestionWindow, detector.Rtt.SmoothedRtt) <= time; burst++)
            {
                SendDataPacket(time, probe: false);
            }
        }

        Assert.That(output.ToArray(), Is.EqualTo(payload));
        Assert.That(detector.PacketsLost, Is.GreaterThan(0));
        Assert.That(cc.BytesInFlight, Is.Zero);
        Assert.That(time, Is.LessThan(120_000 * Ms), $"took {time / Ms} ms simulated");
        TestContext.Out.WriteLine($"seed {seed}: {time / Ms} ms simulated, {iterations} steps, {detector.PacketsSent} packets, {detector.PacketsLost} lost, srtt {detector.Rtt.SmoothedRtt / Ms} ms, cwnd {cc.CongestionWindow}");
    }
}
