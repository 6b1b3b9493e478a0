using RtcClient.Http3.Qpack;

namespace RtcClient.Http3.Tests.Qpack;

public class QpackIntegerTests
{
    // RFC 7541 C.1: 10 with a 5-bit prefix, 1337 with a 5-bit prefix, 42 with an 8-bit prefix.
    [TestCase(10, 5, "0a")]
    [TestCase(1337, 5, "1f9a0a")]
    [TestCase(42, 8, "2a")]
    [TestCase(31, 5, "1f00")]
    public void Rfc7541Examples(long value, int prefix, string hex)
    {
        var buf = new byte[16];
        int n = QpackInteger.Encode(value, prefix, 0, buf);
        Assert.That(Hex.Of(buf.AsSpan(0, n)), Is.EqualTo(hex));
        Assert.That(QpackInteger.GetLength(value, prefix), Is.EqualTo(n));
        Assert.That(QpackInteger.Decode(buf.AsSpan(0, n), prefix, out long back), Is.EqualTo(n));
        Assert.That(back, Is.EqualTo(value));
        Assert.That(QpackInteger.Decode(buf.AsSpan(0, n - 1), prefix, out _), Is.EqualTo(n == 1 ? 0 : 0));
    }

    [Test]
    public void Overflow_IsRefused()
    {
        byte[] huge = [0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        Assert.That(QpackInteger.Decode(huge, 5, out _), Is.EqualTo(-1));
    }
}
