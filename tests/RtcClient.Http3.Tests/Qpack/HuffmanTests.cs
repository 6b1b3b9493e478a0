using System.Text;
using RtcClient.Http3.Qpack;

namespace RtcClient.Http3.Tests.Qpack;

public class HuffmanTests
{
    // RFC 7541 Appendix C.4 and C.6 Huffman-coded string literals.
    [TestCase("www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff")]
    [TestCase("no-cache", "a8eb 1064 9cbf")]
    [TestCase("custom-key", "25a8 49e9 5ba9 7d7f")]
    [TestCase("custom-value", "25a8 49e9 5bb8 e8b4 bf")]
    [TestCase("302", "6402")]
    [TestCase("private", "aec3 771a 4b")]
    [TestCase("Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff")]
    [TestCase("https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3")]
    public void Rfc7541Examples_EncodeAndDecode(string text, string hex)
    {
        byte[] expected = Hex.Parse(hex);
        Assert.That(Huffman.GetEncodedLength(text), Is.EqualTo(expected.Length));
        var buf = new byte[expected.Length];
        Assert.That(Huffman.Encode(text, buf), Is.EqualTo(expected.Length));
        Assert.That(Hex.Of(buf), Is.EqualTo(Hex.Of(expected)));

        var decoded = new byte[64];
        int n = Huffman.Decode(expected, decoded);
        Assert.That(Encoding.Latin1.GetString(decoded, 0, n), Is.EqualTo(text));
    }

    [Test]
    public void CanonicalCodes_MatchRfcTableSamples()
    {
        Assert.That(Huffman.GetCode(0), Is.EqualTo((0x1ff8u, 13)));
        Assert.That(Huffman.GetCode(9), Is.EqualTo((0xffffeau, 24)));
        Assert.That(Huffman.GetCode(10), Is.EqualTo((0x3ffffffcu, 30)));
        Assert.That(Huffman.GetCode(224), Is.EqualTo((0xfffecu, 20)));
        Assert.That(Huffman.GetCode(255), Is.EqualTo((0x3ffffeeu, 26)));
        Assert.That(Huffman.GetCode(256), Is.EqualTo((0x3fffffffu, 30)));
    }

    [Test]
    public void AllByteValues_RoundTrip_Seeded()
    {
        var rng = new Random(7541);
        var all = new char[256];
        for (int i = 0; i < 256; i++)
            all[i] = (char)i;
        RoundTrip(new string(all));
        for (int iter = 0; iter < 300; iter++)
        {
            var chars = new char[rng.Next(0, 80)];
            for (int i = 0; i < chars.Length; i++)
                chars[i] = (char)rng.Next(0, 256);
            RoundTrip(new string(chars));
        }
    }

    [Test]
    public void InvalidPadding_IsRejected()
    {
        // 'a' = 00011, then 3 zero bits of padding: padding must be ones.
        Assert.That(Huffman.Decode([0b0001_1000], new byte[8]), Is.EqualTo(-1));
        // Eight or more bits of padding.
        Assert.That(Huffman.Decode([0b0001_1111, 0xff], new byte[8]), Is.EqualTo(-1));
        // A full EOS symbol inside the string.
        Assert.That(Huffman.Decode([0xff, 0xff, 0xff, 0xff], new byte[8]), Is.EqualTo(-1));
        // Destination too small.
        Assert.That(Huffman.Decode(Hex.Parse("f1e3c2e5f23a6ba0ab90f4ff"), new byte[3]), Is.EqualTo(-2));
    }

    private static void RoundTrip(string s)
    {
        var enc = new byte[Huffman.GetEncodedLength(s)];
        Assert.That(Huffman.Encode(s, enc), Is.EqualTo(enc.Length));
        var dec = new byte[s.Length + 1];
        int n = Huffman.Decode(enc, dec);
        Assert.That(Encoding.Latin1.GetString(dec, 0, n), Is.EqualTo(s));
    }
}
