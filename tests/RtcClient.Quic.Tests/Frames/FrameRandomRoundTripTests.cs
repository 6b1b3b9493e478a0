using RtcClient.Quic.Frames;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Frames;

/// <summary>Seeded random values at every varint size, written and read back for every frame type in one payload.</summary>
public class FrameRandomRoundTripTests
{
    private static long Varint(Random rng, long max = VariableLengthInteger.MaxValue)
    {
        long limit = rng.Next(4) switch { 0 => 63, 1 => 16383, 2 => 1073741823, _ => VariableLengthInteger.MaxValue };
        return rng.NextInt64(0, Math.Min(limit, max) + 1);
    }

    [Test]
    public void Random_frames_round_trip()
    {
        var rng = new Random(2026);
        var payload = new byte[4096];
        for (int iteration = 0; iteration < 1500; iteration++)
        {
            long streamId = Varint(rng), error = Varint(rng), max = Varint(rng), sequence = Varint(rng);
            long retire = rng.NextInt64(0, sequence + 1), streamCount = Varint(rng, FrameReader.MaxStreamCount);
            long offset = Varint(rng, VariableLengthInteger.MaxValue - 100);
            byte[] data = new byte[rng.Next(0, 100)];
            rng.NextBytes(data);
            byte[] cid = new byte[rng.Next(1, 21)];
            rng.NextBytes(cid);
            byte[] token = new byte[16];
            rng.NextBytes(token);
            bool fin = rng.Next(2) == 0;

            long largest = Varint(rng);
            var ranges = new List<AckRange>();
            long top = largest;
            for (int i = 0; i < rng.Next(1, 6) && top >= 0; i++)
            {
                long bottom = Math.Max(0, top - rng.NextInt64(0, 1000));
                ranges.Add(new AckRange(bottom, top));
                top = bottom - 2 - rng.NextInt64(0, 1000);
            }

            long delay = Varint(rng);
            EcnCounts? ecn = rng.Next(2) == 0 ? null : new EcnCounts(Varint(rng), Varint(rng), Varint(rng));

            int n = 0;
            Span<byte> p = payload;
            Assert.That(FrameWriter.TryWriteAck(p[n..], ranges.ToArray(), delay, ecn, out int w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteResetStream(p[n..], streamId, error, max, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteStopSending(p[n..], streamId, error, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteCrypto(p[n..], offset, data, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteNewToken(p[n..], token, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteStream(p[n..], streamId, offset, data, fin, true, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteMaxData(p[n..], max, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteMaxStreamData(p[n..], streamId, max, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteMaxStreams(p[n..], fin, streamCount, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteDataBlocked(p[n..], max, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteStreamDataBlocked(p[n..], streamId, max, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteStreamsBlocked(p[n..], !fin, streamCount, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteNewConnectionId(p[n..], sequence, retire, cid, token, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteRetireConnectionId(p[n..], sequence, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWritePathChallenge(p[n..], token.AsSpan(0, 8), out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWritePathResponse(p[n..], token.AsSpan(8, 8), out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteConnectionClose(p[n..], error, streamId, data, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteApplicationClose(p[n..], error, data, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWritePing(p[n..], out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteHandshakeDone(p[n..], out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteDatagram(p[n..], data, true, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWritePadding(p[n..], 3, out w), Is.True); n += w;
            Assert.That(FrameWriter.TryWriteStream(p[n..], streamId, 0, data, !fin, false, out w), Is.True); n += w;

            var reader = new FrameReader(p[..n]);
            Frame f;
            f = Next(ref reader, FrameType.Ack);
            Assert.That((f.LargestAcknowledged, f.AckDelay, f.HasEcn), Is.EqualTo((largest, delay, ecn is not null)));
            if (ecn is not null) Assert.That(f.Ecn, Is.EqualTo(ecn.Value));
            var decoded = new List<AckRange>();
            foreach (AckRange range in f.AckRanges) decoded.Add(range);
            Assert.That(decoded, Is.EqualTo(ranges));
            Assert.That(f.SmallestAcknowledged, Is.EqualTo(ranges[^1].Smallest));
            f = Next(ref reader, FrameType.ResetStream);
            Assert.That((f.StreamId, f.ErrorCode, f.FinalSize), Is.EqualTo((streamId, error, max)));
            f = Next(ref reader, FrameType.StopSending);
            Assert.That((f.StreamId, f.ErrorCode), Is.EqualTo((streamId, error)));
            f = Next(ref reader, FrameType.Crypto);
            Assert.That((f.Offset, f.Data.SequenceEqual(data)), Is.EqualTo((offset, true)));
            f = Next(ref reader, FrameType.NewToken);
            Assert.That(f.Data.SequenceEqual(token), Is.True);
            f = Next(ref reader, FrameType.Stream);
            Assert.That((f.StreamId, f.Offset, f.Fin, f.Data.SequenceEqual(data)), Is.EqualTo((streamId, offset, fin, true)));
            f = Next(ref reader, FrameType.MaxData);
            Assert.That(f.Maximum, Is.EqualTo(max));
            f = Next(ref reader, FrameType.MaxStreamData);
            Assert.That((f.StreamId, f.Maximum), Is.EqualTo((streamId, max)));
            f = Next(ref reader, fin ? FrameType.MaxStreamsBidi : FrameType.MaxStreamsUni);
            Assert.That(f.Maximum, Is.EqualTo(streamCount));
            f = Next(ref reader, FrameType.DataBlocked);
            Assert.That(f.Maximum, Is.EqualTo(max));
            f = Next(ref reader, FrameType.StreamDataBlocked);
            Assert.That((f.StreamId, f.Maximum), Is.EqualTo((streamId, max)));
            f = Next(ref reader, fin ? FrameType.StreamsBlockedUni : FrameType.StreamsBlockedBidi);
            Assert.That(f.Maximum, Is.EqualTo(streamCount));
            f = Next(ref reader, FrameType.NewConnectionId);
            Assert.That((f.SequenceNumber, f.RetirePriorTo, f.ConnectionId.SequenceEqual(cid), f.StatelessResetToken.SequenceEqual(token)), Is.EqualTo((sequence, retire, true, true)));
            f = Next(ref reader, FrameType.RetireConnectionId);
            Assert.That(f.SequenceNumber, Is.EqualTo(sequence));
            f = Next(ref reader, FrameType.PathChallenge);
            Assert.That(f.Data.SequenceEqual(token.AsSpan(0, 8)), Is.True);
            f = Next(ref reader, FrameType.PathResponse);
            Assert.That(f.Data.SequenceEqual(token.AsSpan(8, 8)), Is.True);
            f = Next(ref reader, FrameType.ConnectionClose);
            Assert.That((f.ErrorCode, f.TriggeringFrameType, f.ReasonPhrase.SequenceEqual(data)), Is.EqualTo((error, streamId, true)));
            f = Next(ref reader, FrameType.ApplicationClose);
            Assert.That((f.ErrorCode, f.ReasonPhrase.SequenceEqual(data)), Is.EqualTo((error, true)));
            f = Next(ref reader, FrameType.Ping);
            f = Next(ref reader, FrameType.HandshakeDone);
            f = Next(ref reader, FrameType.Datagram);
            Assert.That(f.Data.SequenceEqual(data), Is.True);
            f = Next(ref reader, FrameType.Padding);
            Assert.That(f.EncodedLength, Is.EqualTo(3));
            f = Next(ref reader, FrameType.Stream);
            Assert.That((f.StreamId, f.Offset, f.Fin, f.Data.SequenceEqual(data)), Is.EqualTo((streamId, 0L, !fin, true)));
            Assert.That(reader.TryRead(out _), Is.False);
        }
    }

    private static Frame Next(scoped ref FrameReader reader, FrameType expected)
    {
        Assert.That(reader.TryRead(out Frame frame), Is.True, expected.ToString());
        Assert.That(frame.Type, Is.EqualTo(expected));
        return frame;
    }
}
