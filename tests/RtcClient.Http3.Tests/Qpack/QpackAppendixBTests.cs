using System.Buffers;
using RtcClient.Http3.Qpack;

namespace RtcClient.Http3.Tests.Qpack;

/// <summary>RFC 9204 Appendix B, reproduced byte for byte on both sides.</summary>
public class QpackAppendixBTests
{
    [Test]
    public void AppendixB_EncoderOutputAndDecoderState()
    {
        var encoder = new QpackEncoder(peerMaxTableCapacity: 220, peerMaxBlockedStreams: 100) { UseHuffman = false, InsertWhileEncoding = false };
        var decoder = new QpackDecoder(maxTableCapacity: 220, maxBlockedStreams: 100, maxFieldSectionSize: 16384);
        var decoderStream = new ArrayBufferWriter<byte>();

        // B.1 Literal Field Line with Name Reference.
        var section = Encode(encoder, 0, [new(":path", "/index.html")]);
        Assert.That(section, Is.EqualTo("0000510b2f696e6465782e68746d6c"));
        Assert.That(Decode(decoder, section, out long ric), Is.EqualTo(new HeaderField[] { new(":path", "/index.html") }));
        Assert.That(ric, Is.Zero);
        Assert.That(decoder.Table.Size, Is.Zero);

        // B.2 Dynamic Table.
        Assert.That(encoder.SetDynamicTableCapacity(220), Is.True);
        Assert.That(encoder.Insert(new(":authority", "www.example.com")), Is.EqualTo(0));
        Assert.That(encoder.Insert(new(":path", "/sample/path")), Is.EqualTo(1));
        Assert.That(TakeEncoderStream(encoder), Is.EqualTo("3fbd01c00f7777772e6578616d706c652e636f6dc10c2f73616d706c652f70617468"));
        Assert.That(decoder.ProcessEncoderInstructions(Hex.Parse("3fbd01c00f7777772e6578616d706c652e636f6dc10c2f73616d706c652f70617468")), Is.EqualTo(34));
        Assert.That(decoder.Table.Capacity, Is.EqualTo(220));
        Assert.That(decoder.Table.InsertCount, Is.EqualTo(2));
        Assert.That(decoder.Table.Size, Is.EqualTo(106));

        section = Encode(encoder, 4, [new(":authority", "www.example.com"), new(":path", "/sample/path")], baseOverride: 0);
        Assert.That(section, Is.EqualTo("03811011"));
        Assert.That(Decode(decoder, section, out ric), Is.EqualTo(new HeaderField[] { new(":authority", "www.example.com"), new(":path", "/sample/path") }));
        Assert.That(ric, Is.EqualTo(2));
        decoder.WriteSectionAcknowledgment(4, ric, decoderStream);
        Assert.That(Take(decoderStream), Is.EqualTo("84"));
        Assert.That(encoder.ProcessDecoderInstructions(Hex.Parse("84")), Is.EqualTo(1));
        Assert.That(encoder.KnownReceivedCount, Is.EqualTo(2));
        Assert.That(encoder.Table.Size, Is.EqualTo(106));

        // B.3 Speculative Insert.
        Assert.That(encoder.Insert(new("custom-key", "custom-value")), Is.EqualTo(2));
        Assert.That(TakeEncoderStream(encoder), Is.EqualTo("4a637573746f6d2d6b65790c637573746f6d2d76616c7565"));
        decoder.ProcessEncoderInstructions(Hex.Parse("4a637573746f6d2d6b65790c637573746f6d2d76616c7565"));
        Assert.That(decoder.Table.Size, Is.EqualTo(160));
        Assert.That(decoder.WriteInsertCountIncrement(decoderStream), Is.True);
        Assert.That(Take(decoderStream), Is.EqualTo("01"));
        encoder.ProcessDecoderInstructions(Hex.Parse("01"));
        Assert.That(encoder.KnownReceivedCount, Is.EqualTo(3));

        // B.4 Duplicate Instruction, Stream Cancellation.
        Assert.That(encoder.Insert(new(":authority", "www.example.com")), Is.EqualTo(3));
        Assert.That(TakeEncoderStream(encoder), Is.EqualTo("02"));
        decoder.ProcessEncoderInstructions(Hex.Parse("02"));
        Assert.That(decoder.Table.Size, Is.EqualTo(217));
        Assert.That(decoder.Table.Get(3), Is.EqualTo(new HeaderField(":authority", "www.example.com")));

        section = Encode(encoder, 8, [new(":authority", "www.example.com"), new(":path", "/"), new("custom-key", "custom-value")]);
        Assert.That(section, Is.EqualTo("050080c181"));
        Assert.That(Decode(decoder, section, out ric), Is.EqualTo(new HeaderField[]
        {
            new(":authority", "www.example.com"), new(":path", "/"), new("custom-key", "custom-value"),
        }));
        Assert.That(ric, Is.EqualTo(4));
        QpackDecoder.WriteStreamCancellation(8, decoderStream);
        Assert.That(Take(decoderStream), Is.EqualTo("48"));
        encoder.ProcessDecoderInstructions(Hex.Parse("48"));
        Assert.That(encoder.Table.Size, Is.EqualTo(217));

        // B.5 Dynamic Table Insert, Eviction.
        Assert.That(encoder.Insert(new("custom-key", "custom-value2")), Is.EqualTo(4));
        Assert.That(TakeEncoderStream(encoder), Is.EqualTo("810d637573746f6d2d76616c756532"));
        Assert.That(encoder.Table.Size, Is.EqualTo(215));
        decoder.ProcessEncoderInstructions(Hex.Parse("810d637573746f6d2d76616c756532"));
        Assert.That(decoder.Table.Size, Is.EqualTo(215));
        Assert.That(decoder.Table.Count, Is.EqualTo(4));
        Assert.That(decoder.Table.DroppedCount, Is.EqualTo(1));
        Assert.That(decoder.Table.Get(1), Is.EqualTo(new HeaderField(":path", "/sample/path")));
        Assert.That(decoder.Table.Get(4), Is.EqualTo(new HeaderField("custom-key", "custom-value2")));

        // A reference to the evicted entry 0 (Required Insert Count 1, Base 1, relative index 0).
        var ex = Assert.Throws<Http3ProtocolException>(() => decoder.DecodeFieldSection(Hex.Parse("020080"), []));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.QpackDecompressionFailed));
    }

    [Test]
    public void Encoder_NeverEvictsAnUnacknowledgedEntry()
    {
        var encoder = new QpackEncoder(100, 0) { UseHuffman = false };
        Assert.That(encoder.SetDynamicTableCapacity(100), Is.True);
        Assert.That(encoder.Insert(new("aaaa", "bbbbbbbbbbbbbbbbbbbb")), Is.EqualTo(0)); // 56 bytes
        // A second 56-byte entry needs entry 0 evicted, but the decoder has not acknowledged it.
        Assert.That(encoder.Insert(new("cccc", "dddddddddddddddddddd")), Is.EqualTo(-1));
        encoder.ProcessDecoderInstructions([0x01]);
        Assert.That(encoder.Insert(new("cccc", "dddddddddddddddddddd")), Is.EqualTo(1));
        Assert.That(encoder.SetDynamicTableCapacity(10), Is.False, "entry 1 is unacknowledged");
    }

    internal static string Encode(QpackEncoder encoder, long streamId, HeaderField[] fields, long? baseOverride = null)
    {
        var w = new ArrayBufferWriter<byte>();
        encoder.EncodeFieldSection(streamId, fields, w, baseOverride);
        return Hex.Of(w.WrittenSpan);
    }

    internal static List<HeaderField> Decode(QpackDecoder decoder, string section, out long ric)
    {
        var list = new List<HeaderField>();
        ric = decoder.DecodeFieldSection(Hex.Parse(section), list);
        return list;
    }

    private static string TakeEncoderStream(QpackEncoder encoder)
    {
        string s = Hex.Of(encoder.EncoderStream);
        encoder.ClearEncoderStream();
        return s;
    }

    private static string Take(ArrayBufferWriter<byte> w)
    {
        string s = Hex.Of(w.WrittenSpan);
        w.Clear();
        return s;
    }
}
