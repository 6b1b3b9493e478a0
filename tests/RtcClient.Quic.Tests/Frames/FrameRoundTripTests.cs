using RtcClient.Quic.Frames;
using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Tests.Frames;

public class FrameRoundTripTests
{
    private delegate bool Write(Span<byte> destination, out int written);

    private static byte[] Encode(Write write, int expectedSize)
    {
        var buffer = new byte[expectedSize + 8];
        Assert.That(write(buffer, out int written), Is.True);
        Assert.That(written, Is.EqualTo(expectedSize), "writer and FrameSize agree");
        // One byte short must not fit (and must not write past it).
        Assert.That(write(new byte[expectedSize - 1], out int none), Is.False);
        Assert.That(none, Is.Zero);
        return buffer[..written];
    }


    [Test]
    public void Ping_handshake_done_and_padding()
    {
        byte[] bytes = [.. Encode((Span<byte> d, out int w) => FrameWriter.TryWritePing(d, out w), 1),
                        .. Encode((Span<byte> d, out int w) => FrameWriter.TryWritePadding(d, 5, out w), 5),
                        .. Encode((Span<byte> d, out int w) => FrameWriter.TryWriteHandshakeDone(d, out w), 1)];
        var reader = new FrameReader(bytes);
        Assert.That(reader.TryRead(out Frame f), Is.True);
        Assert.That(f.Type, Is.EqualTo(FrameType.Ping));
        Assert.That(reader.TryRead(out f), Is.True);
        Assert.That((f.Type, f.EncodedLength), Is.EqualTo((FrameType.Padding, 5)));
        Assert.That(reader.TryRead(out f), Is.True);
        Assert.That(f.Type, Is.EqualTo(FrameType.HandshakeDone));
        Assert.That(reader.TryRead(out _), Is.False);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Ack_with_ranges_and_ecn(bool ecn)
    {
        AckRange[] ranges = [new(90, 100), new(50, 60), new(0, 10)];
        EcnCounts? counts = ecn ? new EcnCounts(5, 6, 70000) : null;
        byte[] bytes = Encode((Span<byte> d, out int w) => FrameWriter.TryWriteAck(d, ranges, 1234, counts, out w), FrameSize.Ack(ranges, 1234, counts));
        Frame f = ReadSingle(bytes);
        Assert.That(f.Type, Is.EqualTo(FrameType.Ack));
        Assert.That(f.RawType, Is.EqualTo(ecn ? 3 : 2));
        Assert.That((f.LargestAcknowledged, f.AckDelay, f.FirstAckRange, f.AckRangeCount), Is.EqualTo((100L, 1234L, 10L, 2L)));
        Assert.That(f.SmallestAcknowledged, Is.Zero);
        var decoded = new List<AckRange>();
        foreach (AckRange range in f.AckRanges) decoded.Add(range);
        Assert.That(decoded, Is.EqualTo(ranges));
        Assert.That(f.HasEcn, Is.EqualTo(ecn));
        Assert.That(f.GetAckDelayMicroseconds(3), Is.EqualTo(1234L * 8));
        if (ecn) Assert.That(f.Ecn, Is.EqualTo(new EcnCounts(5, 6, 70000)));
    }

    [Test]
    public void Reset_stream_and_stop_sending()
    {
        Frame f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWriteResetStream(d, 4, 0x101, 1_000_000, out w), FrameSize.ResetStream(4, 0x101, 1_000_000)));
        Assert.That((f.Type, f.StreamId, f.ErrorCode, f.FinalSize), Is.EqualTo((FrameType.ResetStream, 4L, 0x101L, 1_000_000L)));
        f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWriteStopSending(d, 8, 7, out w), FrameSize.StopSending(8, 7)));
        Assert.That((f.Type, f.StreamId, f.ErrorCode), Is.EqualTo((FrameType.StopSending, 8L, 7L)));
    }

    [Test]
    public void Crypto_and_new_token()
    {
        byte[] data = [1, 2, 3, 4, 5];
        Frame f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWriteCrypto(d, 70000, data, out w), FrameSize.Crypto(70000, 5)));
        Assert.That((f.Type, f.Offset, f.Data.ToArray()), Is.EqualTo((FrameType.Crypto, 70000L, data)));
        f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWriteNewToken(d, data, out w), FrameSize.NewToken(5)));
        Assert.That((f.Type, f.Data.ToArray()), Is.EqualTo((FrameType.NewToken, data)));
    }

    [TestCase(0L, false, true)]
    [TestCase(0L, true, true)]
    [TestCase(1000L, false, true)]
    [TestCase(1000L, true, false)]
    [TestCase(0L, true, false)]
    public void Stream_with_every_flag_combination(long offset, bool fin, bool includeLength)
    {
        byte[] data = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        byte[] bytes = Encode((Span<byte> d, out int w) => FrameWriter.TryWriteStream(d, 0x3fff, offset, data, fin, includeLength, out w), FrameSize.Stream(0x3fff, offset, 100, includeLength));
        Assert.That(bytes[0], Is.EqualTo(0x08 | (offset > 0 ? 4 : 0) | (includeLength ? 2 : 0) | (fin ? 1 : 0)));
        Frame f = ReadSingle(bytes);
        Assert.That((f.Type, f.StreamId, f.Offset, f.Fin), Is.EqualTo((FrameType.Stream, 0x3fffL, offset, fin)));
        Assert.That(f.Data.ToArray(), Is.EqualTo(data));
    }

    [Test]
    public void Flow_control_frames()
    {
        (Write write, int size, FrameType type, long streamId, long max)[] cases =
        [
            ((Span<byte> d, out int w) => FrameWriter.TryWriteMaxData(d, 1L << 40, out w), FrameSize.Limit(1L << 40), FrameType.MaxData, 0, 1L << 40),
            ((Span<byte> d, out int w) => FrameWriter.TryWriteDataBlocked(d, 99, out w), FrameSize.Limit(99), FrameType.DataBlocked, 0, 99),
            ((Span<byte> d, out int w) => FrameWriter.TryWriteMaxStreamData(d, 5, 70000, out w), FrameSize.StreamLimit(5, 70000), FrameType.MaxStreamData, 5, 70000),
            ((Span<byte> d, out int w) => FrameWriter.TryWriteStreamDataBlocked(d, 9, 1, out w), FrameSize.StreamLimit(9, 1), FrameType.StreamDataBlocked, 9, 1),
            ((Span<byte> d, out int w) => FrameWriter.TryWriteMaxStreams(d, true, 1L << 60, out w), FrameSize.Limit(1L << 60), FrameType.MaxStreamsBidi, 0, 1L << 60),
            ((Span<byte> d, out int w) => FrameWriter.TryWriteMaxStreams(d, false, 3, out w), FrameSize.Limit(3), FrameType.MaxStreamsUni, 0, 3),
            ((Span<byte> d, out int w) => FrameWriter.TryWriteStreamsBlocked(d, true, 100, out w), FrameSize.Limit(100), FrameType.StreamsBlockedBidi, 0, 100),
            ((Span<byte> d, out int w) => FrameWriter.TryWriteStreamsBlocked(d, false, 0, out w), FrameSize.Limit(0), FrameType.StreamsBlockedUni, 0, 0),
        ];
        foreach (var c in cases)
        {
            Frame f = ReadSingle(Encode(c.write, c.size));
            Assert.That((f.Type, f.StreamId, f.Maximum), Is.EqualTo((c.type, c.streamId, c.max)));
        }
    }

    [Test]
    public void Connection_id_frames()
    {
        byte[] cid = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
        byte[] token = Enumerable.Range(200, 16).Select(i => (byte)i).ToArray();
        Frame f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWriteNewConnectionId(d, 7, 3, cid, token, out w), FrameSize.NewConnectionId(7, 3, 20)));
        Assert.That((f.Type, f.SequenceNumber, f.RetirePriorTo), Is.EqualTo((FrameType.NewConnectionId, 7L, 3L)));
        Assert.That((f.ConnectionId.ToArray(), f.StatelessResetToken.ToArray()), Is.EqualTo((cid, token)));
        f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWriteRetireConnectionId(d, 70000, out w), FrameSize.RetireConnectionId(70000)));
        Assert.That((f.Type, f.SequenceNumber), Is.EqualTo((FrameType.RetireConnectionId, 70000L)));
    }

    [Test]
    public void Path_validation_frames()
    {
        byte[] data = [8, 7, 6, 5, 4, 3, 2, 1];
        Frame f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWritePathChallenge(d, data, out w), FrameSize.PathChallenge));
        Assert.That((f.Type, f.Data.ToArray()), Is.EqualTo((FrameType.PathChallenge, data)));
        f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWritePathResponse(d, data, out w), FrameSize.PathChallenge));
        Assert.That((f.Type, f.Data.ToArray()), Is.EqualTo((FrameType.PathResponse, data)));
    }

    [Test]
    public void Connection_close_frames()
    {
        byte[] reason = "bad things"u8.ToArray();
        Frame f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWriteConnectionClose(d, 0x0a, 0x08, reason, out w), FrameSize.ConnectionClose(0x0a, 0x08, reason.Length)));
        Assert.That((f.Type, f.ErrorCode, f.TriggeringFrameType, f.ReasonPhrase.ToArray()), Is.EqualTo((FrameType.ConnectionClose, 0x0aL, 0x08L, reason)));
        f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWriteApplicationClose(d, 0x100, [], out w), FrameSize.ApplicationClose(0x100, 0)));
        Assert.That((f.Type, f.ErrorCode, f.ReasonPhrase.Length), Is.EqualTo((FrameType.ApplicationClose, 0x100L, 0)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Datagram_frames(bool includeLength)
    {
        byte[] data = new byte[300];
        data[299] = 9;
        Frame f = ReadSingle(Encode((Span<byte> d, out int w) => FrameWriter.TryWriteDatagram(d, data, includeLength, out w), FrameSize.Datagram(300, includeLength)));
        Assert.That((f.Type, f.RawType), Is.EqualTo((FrameType.Datagram, includeLength ? 0x31L : 0x30L)));
        Assert.That(f.Data.ToArray(), Is.EqualTo(data));
    }

    [Test]
    public void Max_data_that_fits_is_exact_at_varint_boundaries()
    {
        for (int available = 0; available < 20000; available += available < 200 ? 1 : 97)
        {
            foreach (bool includeLength in new[] { true, false })
            {
                foreach (long offset in new[] { 0L, 1L, 100_000L })
                {
                    int max = FrameSize.GetMaxStreamDataLength(4, offset, available, includeLength);
                    if (max < 0)
                    {
                        Assert.That(FrameSize.Stream(4, offset, 0, includeLength), Is.GreaterThan(available));
                        continue;
                    }

                    Assert.That(FrameSize.Stream(4, offset, max, includeLength), Is.LessThanOrEqualTo(available), $"avail {available}");
                    Assert.That(FrameSize.Stream(4, offset, max + 1, includeLength), Is.GreaterThan(available), $"avail {available}: {max} is not the most");
                }
            }

            int crypto = FrameSize.GetMaxCryptoDataLength(5000, available);
            if (crypto >= 0)
            {
                Assert.That(FrameSize.Crypto(5000, crypto), Is.LessThanOrEqualTo(available));
                Assert.That(FrameSize.Crypto(5000, crypto + 1), Is.GreaterThan(available));
            }

            int datagram = FrameSize.GetMaxDatagramDataLength(available);
            if (datagram >= 0) Assert.That(FrameSize.Datagram(datagram + 1), Is.GreaterThan(available));
        }
    }

    [Test]
    public void Ack_range_count_that_fits_is_exact()
    {
        var ranges = new AckRange[200];
        long next = 1L << 20;
        for (int i = 0; i < ranges.Length; i++)
        {
            long size = i % 7 == 0 ? 100 : 1;
            ranges[i] = new AckRange(next - size + 1, next);
            next -= size + 1 + (i % 5 == 0 ? 70 : 2);
        }

        for (int available = 0; available < 700; available++)
        {
            int count = FrameSize.GetMaxAckRangeCount(ranges, 50, available, new EcnCounts(1, 2, 3));
            if (count == 0)
            {
                Assert.That(FrameSize.Ack(ranges.AsSpan(0, 1), 50, new EcnCounts(1, 2, 3)), Is.GreaterThan(available));
                continue;
            }

            Assert.That(FrameSize.Ack(ranges.AsSpan(0, count), 50, new EcnCounts(1, 2, 3)), Is.LessThanOrEqualTo(available));
            if (count < ranges.Length)
                Assert.That(FrameSize.Ack(ranges.AsSpan(0, count + 1), 50, new EcnCounts(1, 2, 3)), Is.GreaterThan(available), $"available {available}");
        }
    }

    [Test]
    public void A_typical_packet_reads_frame_by_frame_without_allocating()
    {
        var payload = new byte[1200];
        int n = 0;
        AckRange[] ranges = [new(10, 20), new(2, 5)];
        FrameWriter.TryWriteAck(payload.AsSpan(n), ranges, 10, null, out int w); n += w;
        FrameWriter.TryWriteMaxData(payload.AsSpan(n), 1 << 20, out w); n += w;
        FrameWriter.TryWriteStream(payload.AsSpan(n), 0, 0, new byte[500], false, true, out w); n += w;
        FrameWriter.TryWriteDatagram(payload.AsSpan(n), new byte[200], true, out w); n += w;
        FrameWriter.TryWriteStream(payload.AsSpan(n), 4, 9000, new byte[payload.Length - n - 4], true, false, out w); n += w;
        Assert.That(n, Is.EqualTo(payload.Length));

        int count = CountFrames(payload);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) count = CountFrames(payload);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(count, Is.EqualTo(5));

        static int CountFrames(byte[] payload)
        {
            var reader = new FrameReader(payload);
            int frames = 0;
            long acked = 0;
            while (reader.TryRead(out Frame frame))
            {
                frames++;
                if (frame.Type == FrameType.Ack)
                {
                    foreach (AckRange range in frame.AckRanges) acked += range.Count;
                }
            }

            return acked == 15 ? frames : -1;
        }
    }

    private static Frame ReadSingle(byte[] bytes)
    {
        var reader = new FrameReader(bytes);
        Assert.That(reader.TryRead(out Frame frame), Is.True);
        Assert.That(frame.EncodedLength, Is.EqualTo(bytes.Length));
        var rest = new FrameReader(bytes.AsSpan(frame.EncodedLength));
        Assert.That(rest.TryRead(out _), Is.False);
        return frame;
    }
}
