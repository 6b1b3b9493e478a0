using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Wire;

public class VariableLengthIntegerTests
{
    // RFC 9000 appendix A.1 sample encodings.
    [TestCase("c2197c5eff14e88c", 151288809941952652L)]
    [TestCase("9d7f3e7d", 494878333L)]
    [TestCase("7bbd", 15293L)]
    [TestCase("25", 37L)]
    [TestCase("4025", 37L)]
    public void Decodes_rfc9000_samples(string hex, long expected)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.That(VariableLengthInteger.TryRead(bytes, out long value, out int read), Is.True);
        Assert.That(value, Is.EqualTo(expected));
        Assert.That(read, Is.EqualTo(bytes.Length));
    }

    [TestCase(151288809941952652L, "c2197c5eff14e88c")]
    [TestCase(494878333L, "9d7f3e7d")]
    [TestCase(15293L, "7bbd")]
    [TestCase(37L, "25")]
    public void Encodes_shortest_form(long value, string expectedHex)
    {
        Span<byte> buffer = stackalloc byte[8];
        Assert.That(VariableLengthInteger.TryWrite(buffer, value, out int written), Is.True);
        Assert.That(Convert.ToHexString(buffer[..written]).ToLowerInvariant(), Is.EqualTo(expectedHex));
    }

    [Test]
    public void Truncated_input_is_reported_not_read()
    {
        Assert.That(VariableLengthInteger.TryRead(Convert.FromHexString("9d7f3e"), out _, out int read), Is.False);
        Assert.That(read, Is.Zero);
        Assert.That(VariableLengthInteger.TryRead([], out _, out _), Is.False);
    }

    [Test]
    public void Round_trips_at_every_length_boundary()
    {
        Span<byte> buffer = stackalloc byte[8];
        foreach (long v in new[] { 0L, 63, 64, 16383, 16384, 1073741823, 1073741824, VariableLengthInteger.MaxValue })
        {
            Assert.That(VariableLengthInteger.TryWrite(buffer, v, out int written), Is.True);
            Assert.That(written, Is.EqualTo(VariableLengthInteger.GetLength(v)));
            Assert.That(VariableLengthInteger.TryRead(buffer[..written], out long back, out _), Is.True);
            Assert.That(back, Is.EqualTo(v));
        }
    }

    [Test]
    public void Rejects_values_beyond_two_to_the_62()
    {
        Assert.That(() => VariableLengthInteger.GetLength(VariableLengthInteger.MaxValue + 1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => VariableLengthInteger.GetLength(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
