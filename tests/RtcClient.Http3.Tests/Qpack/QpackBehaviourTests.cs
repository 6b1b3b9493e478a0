using System.Buffers;
using RtcClient.Http3.Qpack;

namespace RtcClient.Http3.Tests.Qpack;

public class QpackBehaviourTests
{
    [Test]
    public void RoundTrip_WithDynamicTableAndHuffman_Seeded()
    {
        var rng = new Random(9204);
        var encoder = new QpackEncoder(4096, 16);
        var decoder = new QpackDecoder(4096, 16, 65536);
        encoder.SetDynamicTableCapacity(4096);
        string[] names = ["user-agent", "x-call-id", "content-type", ":authority", "x-trace", "accept"];
        for (int i = 0; i < 200; i++)
        {
            var fields = new HeaderField[rng.Next(1, 8)];
            for (int j = 0; j < fields.Length; j++)
                fields[j] = new(names[rng.Next(names.Length)], "v" + rng.Next(0, 12));
            var section = new ArrayBufferWriter<byte>();
            encoder.EncodeFieldSection(i * 4, fields, section);
            // The encoder stream always precedes what references it here, so nothing blocks.
            int consumed = decoder.ProcessEncoderInstructions(encoder.EncoderStream);
            Assert.That(consumed, Is.EqualTo(encoder.EncoderStream.Length));
            encoder.ClearEncoderStream();
            var output = new List<HeaderField>();
            long ric = decoder.DecodeFieldSection(section.WrittenSpan, output);
            Assert.That(output, Is.EqualTo(fields));
            var instructions = new ArrayBufferWriter<byte>();
            if (ric > 0)
                decoder.WriteSectionAcknowledgment(i * 4, ric, instructions);
            decoder.WriteInsertCountIncrement(instructions);
            Assert.That(encoder.ProcessDecoderInstructions(instructions.WrittenSpan), Is.EqualTo(instructions.WrittenCount));
        }

        Assert.That(decoder.Table.InsertCount, Is.GreaterThan(0));
        Assert.That(encoder.Table.InsertCount, Is.EqualTo(decoder.Table.InsertCount));
    }

    [Test]
    public async Task BlockedStreams_WaitUntilInserted_AndAreBounded()
    {
        var encoder = new QpackEncoder(220, 1) { UseHuffman = false };
        var decoder = new QpackDecoder(220, 1, 16384);
        encoder.SetDynamicTableCapacity(220);
        var section = new ArrayBufferWriter<byte>();
        encoder.EncodeFieldSection(0, [new("x-a", "1")], section);
        Assert.That(encoder.BlockedStreamCount, Is.EqualTo(1));
        // Stream 4 may not block too: the encoder falls back to a literal.
        var section2 = new ArrayBufferWriter<byte>();
        encoder.EncodeFieldSection(4, [new("x-a", "1")], section2);
        Assert.That(section2.WrittenSpan[0], Is.Zero, "Required Insert Count 0");

        var list = new List<HeaderField>();
        Assert.That(decoder.DecodeFieldSection(section.WrittenSpan, list), Is.EqualTo(-1));
        long ric = decoder.PeekRequiredInsertCount(section.WrittenSpan);
        Task wait = decoder.WaitForInsertCountAsync(ric, CancellationToken.None);
        Assert.That(wait.IsCompleted, Is.False);
        var ex = Assert.Throws<Http3ProtocolException>(() => decoder.WaitForInsertCountAsync(ric, CancellationToken.None));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.QpackDecompressionFailed));

        decoder.ProcessEncoderInstructions(encoder.EncoderStream);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(decoder.DecodeFieldSection(section.WrittenSpan, list), Is.EqualTo(1));
        Assert.That(list, Is.EqualTo(new HeaderField[] { new("x-a", "1") }));
    }

    [Test]
    public void MaxFieldSectionSize_IsEnforced_AndHuffmanBombIsBounded()
    {
        var decoder = new QpackDecoder(0, 0, 200);
        var encoder = new QpackEncoder(0, 0);
        var w = new ArrayBufferWriter<byte>();
        encoder.EncodeFieldSection(0, [new("x-big", new string('0', 300))], w);
        var ex = Assert.Throws<Http3ProtocolException>(() => decoder.DecodeFieldSection(w.WrittenSpan, []));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.ExcessiveLoad));

        // Many small lines whose total exceeds the limit.
        w.Clear();
        var many = Enumerable.Range(0, 10).Select(i => new HeaderField("x-" + i, "v")).ToArray();
        encoder.EncodeFieldSection(0, many, w);
        ex = Assert.Throws<Http3ProtocolException>(() => decoder.DecodeFieldSection(w.WrittenSpan, []));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.ExcessiveLoad));

        // A Huffman literal that claims 1 MB is refused before decoding.
        byte[] bomb = [0x00, 0x00, 0x51, 0xff, 0x80, 0x80, 0x40];
        ex = Assert.Throws<Http3ProtocolException>(() => decoder.DecodeFieldSection(bomb, []));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.ExcessiveLoad));
    }

    [TestCase("3fe11f", Description = "capacity above the maximum")]
    [TestCase("8a0161", Description = "insert with a reference to a missing dynamic entry")]
    [TestCase("ff6401", Description = "static index out of range")]
    [TestCase("05", Description = "duplicate of a missing entry")]
    [TestCase("3f0040", Description = "entry larger than capacity (capacity 31)")]
    public void MalformedEncoderStream_IsEncoderStreamError(string hex)
    {
        var decoder = new QpackDecoder(220, 0, 16384);
        var ex = Assert.Throws<Http3ProtocolException>(() => decoder.ProcessEncoderInstructions(Hex.Parse(hex + "00")));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.QpackEncoderStreamError));
    }

    [TestCase("00", Description = "Insert Count Increment of 0")]
    [TestCase("05", Description = "increment beyond the insert count")]
    [TestCase("8c", Description = "Section Acknowledgment with nothing outstanding")]
    public void MalformedDecoderStream_IsDecoderStreamError(string hex)
    {
        var encoder = new QpackEncoder(220, 0);
        var ex = Assert.Throws<Http3ProtocolException>(() => encoder.ProcessDecoderInstructions(Hex.Parse(hex)));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.QpackDecoderStreamError));
    }

    [TestCase("", Description = "empty section")]
    [TestCase("00", Description = "truncated prefix")]
    [TestCase("0000ff", Description = "truncated index")]
    [TestCase("0000ff7f", Description = "static index out of range")]
    [TestCase("00005105", Description = "truncated value")]
    [TestCase("000081", Description = "dynamic reference with Required Insert Count 0")]
    [TestCase("ff0a00", Description = "Required Insert Count beyond the table range")]
    [TestCase("000027", Description = "invalid Huffman name")]
    [TestCase("0281", Description = "negative Base")]
    public void MalformedFieldSection_IsDecompressionFailed(string hex)
    {
        var decoder = new QpackDecoder(220, 10, 16384);
        var ex = Assert.Throws<Http3ProtocolException>(() => decoder.DecodeFieldSection(Hex.Parse(hex), []));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.QpackDecompressionFailed));
    }
}
