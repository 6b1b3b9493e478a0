using RtcClient.Quic.Packets;

namespace RtcClient.Quic.Tests.Packets;

public class PacketNumberTests
{
    // RFC 9000 appendix A.2 examples.
    [TestCase(0xac5c02L, 0xabe8b3L, 2)]
    [TestCase(0xace8feL, 0xabe8b3L, 3)]
    [TestCase(0L, -1L, 1)]
    [TestCase(127L, -1L, 1)]
    [TestCase(128L, -1L, 2)]
    [TestCase(228L, 100L, 1)]
    [TestCase(229L, 100L, 2)]
    [TestCase(1L << 40, 0L, 4)]
    public void Chooses_length_from_largest_acknowledged(long packetNumber, long largestAcked, int expected)
        => Assert.That(PacketNumber.GetEncodedLength(packetNumber, largestAcked), Is.EqualTo(expected));

    [Test]
    public void Decodes_rfc9000_a3_example()
        => Assert.That(PacketNumber.Decode(0xa82f30ea, 0x9b32, 2), Is.EqualTo(0xa82f9b32L));

    [Test]
    public void Encode_then_decode_recovers_the_number_around_the_window()
    {
        var rng = new Random(9000);
        Span<byte> buffer = stackalloc byte[4];
        for (int i = 0; i < 20_000; i++)
        {
            long largestAcked = rng.NextInt64(-1, 1L << 40);
            long pn = largestAcked + 1 + rng.NextInt64(0, 1L << rng.Next(1, 31));
            int length = PacketNumber.GetEncodedLength(pn, largestAcked);
            PacketNumber.WriteTruncated(buffer, pn, length);
            long truncated = PacketNumber.ReadTruncated(buffer, length);
            // The receiver has seen anything between the largest acknowledged and just below pn.
            long largestReceived = rng.NextInt64(Math.Max(largestAcked, -1), pn);
            Assert.That(PacketNumber.Decode(largestReceived, truncated, length), Is.EqualTo(pn), $"pn {pn} acked {largestAcked} received {largestReceived}");
        }
    }

    [Test]
    public void Decode_stays_below_2_pow_62()
        => Assert.That(PacketNumber.Decode(PacketNumber.MaxValue - 1, 0xff, 1), Is.LessThanOrEqualTo(PacketNumber.MaxValue));
}
