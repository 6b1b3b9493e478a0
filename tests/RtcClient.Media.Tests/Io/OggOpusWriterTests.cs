using System.Buffers.Binary;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;
using RtcClient.Media.Tests.Codecs;

namespace RtcClient.Media.Tests.Io;

public class OggOpusWriterTests
{
    [Test]
    public void Pages_have_valid_structure_granules_and_crc()
    {
        using var ms = new MemoryStream();
        using (var writer = new OggOpusWriter(ms, 1, 312, leaveOpen: true))
        {
            for (int i = 0; i < 120; i++)
                writer.WritePacket([0xF8, (byte)i, 1, 2, 3]);
        }
        var bytes = ms.ToArray();
        int pos = 0, pages = 0;
        long lastGranule = 0;
        int lastPage = 0;
        uint expectedSeq = 0;
        while (pos < bytes.Length)
        {
            Assert.That(bytes.AsSpan(pos, 4).SequenceEqual("OggS"u8), Is.True);
            int segments = bytes[pos + 26];
            int length = 27 + segments;
            for (int i = 0; i < segments; i++)
                length += bytes[pos + 27 + i];
            var page = bytes.AsSpan(pos, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
            page.AsSpan(22, 4).Clear();
            Assert.That(OggCrc.Compute(page), Is.EqualTo(crc), $"page {pages} crc");
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(18)), Is.EqualTo(expectedSeq++));
            lastGranule = BinaryPrimitives.ReadInt64LittleEndian(page.AsSpan(6));
            if (pages == 0)
                Assert.That(bytes[pos + 5], Is.EqualTo(0x02), "first page is BOS");
            lastPage = pos;
            pos += length;
            pages++;
        }
        Assert.That(pages, Is.EqualTo(2 + 3), "head, tags, 50+50+20 packets");
        Assert.That(bytes[lastPage + 5], Is.EqualTo(0x04), "last page is EOS");
        Assert.That(lastGranule, Is.EqualTo(120 * 960));
        // The classic check value of this CRC variant over "123456789".
        Assert.That(OggCrc.Compute("123456789"u8), Is.EqualTo(0x89A1897Fu));
    }

    [Test, Category("Interop")]
    public void Opusdec_decodes_our_file_bit_identically_to_our_decoder()
    {
        using var dir = new TempDirectory();
        var signal = TestSignals.SpeechLike(48000, 1.0);
        using var encoder = new OpusEncoder();
        var packets = new List<byte[]>();
        var payload = new byte[OpusEncoder.MaxPayloadBytes];
        using (var writer = OggOpusWriter.Create(dir.File("speech.opus"), 1, encoder.Lookahead))
        {
            for (int off = 0; off + 960 <= signal.Length; off += 960)
            {
                int n = encoder.Encode(signal.AsSpan(off, 960), payload);
                packets.Add(payload.AsSpan(0, n).ToArray());
                writer.WritePacket(packets[^1]);
            }
        }
        using var decoder = new OpusDecoder();
        var ours = OpusCodecTests.DecodeAll(decoder, packets).AsSpan(encoder.Lookahead).ToArray();

        ExternalTool.Run("opusdec", ["--quiet", "--no-dither", "--rate", "48000", dir.File("speech.opus"), dir.File("out.wav")]);
        var (format, theirs) = WavReader.Read(dir.File("out.wav"));
        Assert.That(format, Is.EqualTo(new WavFormat(48000, 1)));
        Assert.That(theirs, Has.Length.EqualTo(ours.Length), "opusdec drops the pre-skip and plays up to the last granule");
        Assert.That(theirs, Is.EqualTo(ours));
        var info = ExternalTool.Run("opusinfo", [dir.File("speech.opus")]);
        Assert.That(info, Does.Not.Contain("WARNING").And.Not.Contain("ERROR"));
    }
}
