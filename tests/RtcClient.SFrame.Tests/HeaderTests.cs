using static RtcClient.SFrame.Tests.Rfc9605Vectors;

namespace RtcClient.SFrame.Tests;

public class HeaderTests
{
    [TestCaseSource(typeof(Rfc9605Vectors), nameof(Headers))]
    public void Rfc9605_C1_encodes_and_decodes(ulong kid, ulong ctr, string expectedHex)
    {
        var header = new SFrameHeader(kid, ctr);
        Span<byte> buffer = stackalloc byte[SFrameHeader.MaxLength];
        Assert.That(header.TryEncode(buffer, out int written), Is.True);
        Assert.That(Convert.ToHexStringLower(buffer[..written]), Is.EqualTo(expectedHex));
        Assert.That(header.EncodedLength, Is.EqualTo(written));

        var status = SFrameHeader.TryDecode(Hex(expectedHex), out var decoded, out int consumed);
        Assert.That(status, Is.EqualTo(SFrameHeaderStatus.Valid));
        Assert.That(decoded, Is.EqualTo(header));
        Assert.That(consumed, Is.EqualTo(expectedHex.Length / 2));
    }

    [Test]
    public void All_289_vectors_are_present() =>
        Assert.That(Headers().Count(), Is.EqualTo(17 * 17));

    [Test]
    public void Decoding_ignores_bytes_after_the_header()
    {
        var status = SFrameHeader.TryDecode(Hex("9901234567deadbeef"), out var header, out int consumed);
        Assert.That(status, Is.EqualTo(SFrameHeaderStatus.Valid));
        Assert.That(header, Is.EqualTo(new SFrameHeader(0x123, 0x4567)));
        Assert.That(consumed, Is.EqualTo(5));
    }

    [TestCase("", TestName = "empty")]
    [TestCase("08", TestName = "CTR length byte missing")]
    [TestCase("80", TestName = "KID byte missing")]
    [TestCase("9901", TestName = "KID cut short")]
    [TestCase("99012345", TestName = "CTR cut short")]
    [TestCase("ff010000000000000001000000000000", TestName = "longest header minus one byte")]
    public void Truncated_headers_are_rejected(string hex)
    {
        var status = SFrameHeader.TryDecode(Hex(hex), out var header, out int consumed);
        Assert.That(status, Is.EqualTo(SFrameHeaderStatus.Truncated));
        Assert.That(consumed, Is.Zero);
        Assert.That(header, Is.EqualTo(default(SFrameHeader)));
    }

    [TestCase("0807", TestName = "CTR 7 in extended form")]
    [TestCase("800500", TestName = "KID 5 in extended form")]
    [TestCase("0900ff", TestName = "CTR with leading zero byte")]
    [TestCase("9000ff00", TestName = "KID with leading zero byte")]
    [TestCase("0f00000000000000ff", TestName = "CTR padded to 8 bytes")]
    public void Non_minimal_encodings_are_rejected(string hex)
    {
        var status = SFrameHeader.TryDecode(Hex(hex), out _, out int consumed);
        Assert.That(status, Is.EqualTo(SFrameHeaderStatus.NonMinimalEncoding));
        Assert.That(consumed, Is.Zero);
    }

    [Test]
    public void Encoding_into_a_short_buffer_writes_nothing()
    {
        Span<byte> buffer = stackalloc byte[4];
        buffer.Fill(0xAA);
        Assert.That(new SFrameHeader(0x123, 0x4567).TryEncode(buffer, out int written), Is.False);
        Assert.That(written, Is.Zero);
        Assert.That(buffer.ToArray(), Is.All.EqualTo(0xAA));
    }
}
