using RtcClient.Media.Packetization;
using RtcClient.Media.Rtp;

namespace RtcClient.Media.Tests.Packetization;

public class H264PacketizationTests
{
    private static byte[] Nal(byte header, int length, int seed)
    {
        var nal = new byte[length];
        new Random(seed).NextBytes(nal);
        nal[0] = header;
        for (int i = 1; i < length; i++)
        {
            if (nal[i] <= 3)
                nal[i] = 0x55; // no emulated start codes in test payloads
        }
        return nal;
    }

    private static byte[] AccessUnit(params byte[][] nals) =>
        nals.SelectMany(n => new byte[] { 0, 0, 0, 1 }.Concat(n)).ToArray();

    private static byte[] KeyFrame(int seed) => AccessUnit(Nal(0x67, 12, seed), Nal(0x68, 4, seed + 1), Nal(0x65, 5000, seed + 2));

    private static byte[] DeltaFrame(int seed, int size = 900) => AccessUnit(Nal(0x41, size, seed));

    private static List<byte[]> Packetize(H264Packetizer packetizer, byte[] au, uint ts, int max = 1200)
    {
        packetizer.Begin(au, ts, max);
        var packets = new List<byte[]>();
        var buffer = new byte[1500];
        while (packetizer.TryNext(buffer, out int n))
        {
            Assert.That(n, Is.LessThanOrEqualTo(max));
            packets.Add(buffer[..n]);
        }
        return packets;
    }

    private static void Feed(H264FrameAssembler assembler, byte[] packet)
    {
        Assert.That(RtpPacket.TryParse(packet, out var rtp), Is.EqualTo(RtpParseStatus.Ok));
        assembler.Insert(rtp.SequenceNumber, rtp.Timestamp, rtp.Marker, rtp.Payload);
    }

    [Test]
    public void Uses_stap_a_for_parameter_sets_and_fu_a_for_large_slices_with_marker_on_last()
    {
        var p = new H264Packetizer(96, 1, 65530);
        var packets = Packetize(p, KeyFrame(1), 9000);
        Assert.That(RtpPacket.TryParse(packets[0], out var first), Is.EqualTo(RtpParseStatus.Ok));
        Assert.That(first.Payload[0] & 0x1F, Is.EqualTo(24), "SPS+PPS aggregated (the IDR does not fit with them)");
        Assert.That(packets.Count, Is.EqualTo(1 + 5), "5000-byte IDR in 1186-byte fragments");
        for (int i = 1; i < packets.Count; i++)
        {
            RtpPacket.TryParse(packets[i], out var rtp);
            Assert.That(rtp.Payload[0] & 0x1F, Is.EqualTo(28));
            Assert.That((rtp.Payload[1] & 0x80) != 0, Is.EqualTo(i == 1), "S bit on first fragment");
            Assert.That((rtp.Payload[1] & 0x40) != 0, Is.EqualTo(i == packets.Count - 1), "E bit on last fragment");
            Assert.That(rtp.Marker, Is.EqualTo(i == packets.Count - 1));
        }
        var single = Packetize(p, DeltaFrame(2, 300), 12000);
        Assert.That(single, Has.Count.EqualTo(1));
        RtpPacket.TryParse(single[0], out var s);
        Assert.That(s.Payload[0], Is.EqualTo(0x41), "single NAL unit packet");
        Assert.That(s.Marker, Is.True);
    }

    [Test]
    public void Round_trips_frames_with_reordering()
    {
        var frames = new List<(byte[] Au, uint Ts, bool Key)>();
        var assembler = new H264FrameAssembler((au, ts, key) => frames.Add((au.ToArray(), ts, key)));
        var p = new H264Packetizer(96, 1, 65500);
        var sent = new List<byte[]>();
        var random = new Random(5);
        for (int f = 0; f < 20; f++)
        {
            byte[] au = f % 10 == 0 ? KeyFrame(f) : DeltaFrame(f, 500 + 400 * (f % 4));
            sent.Add(au);
            var packets = Packetize(p, au, (uint)(f * 3000));
            // Reorder: swap random neighbours within the frame and across frame boundaries.
            for (int i = 0; i + 1 < packets.Count; i++)
            {
                if (random.Next(3) == 0)
                    (packets[i], packets[i + 1]) = (packets[i + 1], packets[i]);
            }
            foreach (var packet in packets)
                Feed(assembler, packet);
        }
        Assert.That(frames.Select(f => f.Au), Is.EqualTo(sent));
        Assert.That(frames[0].Key && frames[10].Key && !frames[1].Key, Is.True);
        Assert.That(assembler.KeyFrameNeeded, Is.False);
        Assert.That(assembler.Statistics.FramesDropped, Is.Zero);
    }

    [Test]
    public void Lost_fragment_requests_a_key_frame_and_recovers_on_the_next_one()
    {
        var frames = new List<(uint Ts, bool Key)>();
        var assembler = new H264FrameAssembler((au, ts, key) => frames.Add((ts, key)), reorderWindow: 4);
        var p = new H264Packetizer(96, 1, 100);
        foreach (var packet in Packetize(p, KeyFrame(1), 0))
            Feed(assembler, packet);
        Assert.That(frames, Has.Count.EqualTo(1));
        Assert.That(assembler.KeyFrameNeeded, Is.False);

        var lossy = Packetize(p, AccessUnit(Nal(0x41, 3000, 2)), 3000);
        lossy.RemoveAt(1); // a middle FU-A fragment
        foreach (var packet in lossy)
            Feed(assembler, packet);
        for (int f = 2; f < 6; f++)
        {
            foreach (var packet in Packetize(p, DeltaFrame(f), (uint)(f * 3000)))
                Feed(assembler, packet);
        }
        Assert.That(assembler.KeyFrameNeeded, Is.True, "loss detected: PLI wanted");
        Assert.That(frames, Has.Count.EqualTo(1), "the broken frame and the delta frames after it are not delivered");
        Assert.That(assembler.Statistics.LostPackets, Is.EqualTo(1));
        Assert.That(assembler.Statistics.KeyFrameRequests, Is.EqualTo(1));

        foreach (var packet in Packetize(p, KeyFrame(9), 30000))
            Feed(assembler, packet);
        Assert.That(assembler.KeyFrameNeeded, Is.False, "recovered");
        Assert.That(frames[^1], Is.EqualTo((30000u, true)));
        foreach (var packet in Packetize(p, DeltaFrame(10), 33000))
            Feed(assembler, packet);
        Assert.That(frames[^1], Is.EqualTo((33000u, false)), "delta frames flow again");
    }

    [Test]
    public void Never_ending_fu_a_is_dropped_at_the_size_limit_with_bounded_memory()
    {
        int delivered = 0;
        var assembler = new H264FrameAssembler((_, _, _) => delivered++, capacity: 64, maxFrameSize: 64 * 1024);
        var payload = new byte[1000];
        payload[0] = 0x7C; // FU-A, NRI 3
        payload[1] = 0x85; // S, IDR
        assembler.Insert(0, 1000, false, payload);
        payload[1] = 0x05; // middle fragments, forever
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i < 20000; i++)
            assembler.Insert((ushort)i, 1000, false, payload);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.LessThan(1024), "no growth per packet");
        Assert.That(assembler.Statistics.OversizeFrames, Is.EqualTo(1));
        Assert.That(delivered, Is.Zero);
        // The next frame (a new timestamp) drops the runaway one and asks for a key frame.
        var p = new H264Packetizer(96, 1, 20000);
        foreach (var packet in Packetize(p, KeyFrame(3), 4000))
            Feed(assembler, packet);
        Assert.That(assembler.Statistics.FramesDropped, Is.EqualTo(1));
        Assert.That(delivered, Is.EqualTo(1), "recovers on the key frame");
    }

    [Test]
    public void Hostile_payloads_are_dropped_without_exceptions()
    {
        int delivered = 0;
        var assembler = new H264FrameAssembler((_, _, _) => delivered++);
        var random = new Random(42);
        var buffer = new byte[1600];
        for (int i = 0; i < 20000; i++)
        {
            int length = random.Next(0, buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (length > 0 && random.Next(2) == 0)
                buffer[0] = (byte)((buffer[0] & 0xE0) | (random.Next(2) == 0 ? 24 : 28));
            assembler.Insert((ushort)random.Next(65536), (uint)random.Next(), random.Next(4) == 0, buffer.AsSpan(0, length));
        }
        // STAP-A whose sizes run past the end, FU-A continuation without start.
        assembler.Insert(1, 1, true, [24, 0xFF, 0xFF, 0x67]);
        assembler.Insert(2, 2, true, [28, 0x45, 1, 2, 3]);
        Assert.That(assembler.Statistics.DiscardedPackets + assembler.Statistics.FramesDropped, Is.GreaterThan(0));
    }
}
