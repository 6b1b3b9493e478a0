using System.Buffers;
using RtcClient.Http3.Capsules;
using RtcClient.Http3.Frames;

namespace RtcClient.Http3.Tests.Frames;

public class FrameTests
{
    [TestCase(Http3FrameType.Data, "0003616263")]
    [TestCase(Http3FrameType.Headers, "0103616263")]
    [TestCase(0x21L, "2103616263")]
    public void OpaqueFrames_EncodeAndDecode(long type, string hex)
    {
        var w = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteFrame(w, type, "abc"u8);
        Assert.That(Hex.Of(w.WrittenSpan), Is.EqualTo(hex));
        Assert.That(Http3FrameReader.TryReadHeader(w.WrittenSpan, out long t, out long len, out int h), Is.True);
        Assert.That((t, len, h), Is.EqualTo((type, 3L, 2)));
        Assert.That(Http3FrameReader.TryReadHeader(w.WrittenSpan[..1], out _, out _, out _), Is.False);
    }

    [TestCase(Http3FrameType.GoAway, 4L, "070104")]
    [TestCase(Http3FrameType.CancelPush, 3L, "030103")]
    [TestCase(Http3FrameType.MaxPushId, 100L, "0d024064")]
    public void VarIntFrames_EncodeAndDecode(long type, long value, string hex)
    {
        var w = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteVarIntFrame(w, type, value);
        Assert.That(Hex.Of(w.WrittenSpan), Is.EqualTo(hex));
        Http3FrameReader.TryReadHeader(w.WrittenSpan, out _, out long len, out int h);
        Assert.That(Http3FrameReader.ReadVarIntPayload(w.WrittenSpan.Slice(h, (int)len)), Is.EqualTo(value));
    }

    [Test]
    public void PushPromise_EncodeAndDecode()
    {
        var w = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WritePushPromise(w, 5, [0x00, 0x00, 0xd1]);
        Assert.That(Hex.Of(w.WrittenSpan), Is.EqualTo("0504050000d1"));
        long id = Http3FrameReader.ReadPushPromise(w.WrittenSpan[2..], out var section);
        Assert.That(id, Is.EqualTo(5));
        Assert.That(Hex.Of(section), Is.EqualTo("0000d1"));
    }

    [Test]
    public void Settings_RoundTrip_WithChromiumDraft02Values()
    {
        var s = new Http3Settings { QpackMaxTableCapacity = 65536, MaxFieldSectionSize = 16384, QpackBlockedStreams = 100, H3Datagram = true };
        s.AddRaw(Http3SettingId.H3DatagramDraft04, 1);
        s.AddRaw(Http3SettingId.EnableWebTransportDraft02, 1);
        s.AddRaw(Http3FrameType.Grease(3), 7);
        var w = new ArrayBufferWriter<byte>();
        s.WriteFrame(w);
        Http3FrameReader.TryReadHeader(w.WrittenSpan, out long type, out long len, out int h);
        Assert.That(type, Is.EqualTo(Http3FrameType.Settings));
        var p = Http3Settings.Parse(w.WrittenSpan.Slice(h, (int)len));
        Assert.That(p.QpackMaxTableCapacity, Is.EqualTo(65536));
        Assert.That(p.MaxFieldSectionSize, Is.EqualTo(16384));
        Assert.That(p.QpackBlockedStreams, Is.EqualTo(100));
        Assert.That(p.H3Datagram, Is.True);
        Assert.That(p.WebTransportDraft02, Is.True);
        Assert.That(p.WebTransportCurrent, Is.False);
        Assert.That(p.All, Has.Count.EqualTo(7));
    }

    [Test]
    public void Settings_CurrentDialect_AndExtendedConnect()
    {
        var s = new Http3Settings { EnableConnectProtocol = true, H3Datagram = true, WebTransportCurrent = true };
        var w = new ArrayBufferWriter<byte>();
        s.WriteFrame(w);
        var p = Http3Settings.Parse(w.WrittenSpan[2..]);
        Assert.That(p.EnableConnectProtocol && p.H3Datagram && p.WebTransportCurrent, Is.True);
        Assert.That(p.All.Select(kv => kv.Key), Does.Contain(Http3SettingId.WtEnabled));
    }

    [TestCase("0101 0102", Http3ErrorCode.SettingsError, Description = "duplicate")]
    [TestCase("0201", Http3ErrorCode.SettingsError, Description = "HTTP/2 ENABLE_PUSH")]
    [TestCase("0802", Http3ErrorCode.SettingsError, Description = "ENABLE_CONNECT_PROTOCOL = 2")]
    [TestCase("3302", Http3ErrorCode.SettingsError, Description = "H3_DATAGRAM = 2")]
    [TestCase("01", Http3ErrorCode.FrameError, Description = "truncated")]
    [TestCase("0140", Http3ErrorCode.FrameError, Description = "truncated varint")]
    public void Settings_Malformed(string hex, Http3ErrorCode code)
    {
        var ex = Assert.Throws<Http3ProtocolException>(() => Http3Settings.Parse(Hex.Parse(hex)));
        Assert.That(ex!.ErrorCode, Is.EqualTo(code));
    }

    [TestCase("")]
    [TestCase("0405")]
    [TestCase("40")]
    public void VarIntPayload_WrongLength_IsFrameError(string hex)
    {
        var ex = Assert.Throws<Http3ProtocolException>(() => Http3FrameReader.ReadVarIntPayload(Hex.Parse(hex)));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.FrameError));
    }

    [TestCase(0x02L, false)]
    [TestCase(0x06L, true)]
    [TestCase(Http3FrameType.Data, true)]
    [TestCase(Http3FrameType.Headers, true)]
    [TestCase(Http3FrameType.Settings, false)]
    [TestCase(Http3FrameType.GoAway, false)]
    [TestCase(Http3FrameType.MaxPushId, false)]
    public void FramesOnTheWrongStream_AreFrameUnexpected(long type, bool control)
    {
        var ex = Assert.Throws<Http3ProtocolException>(() => Http3FrameReader.CheckAllowed(type, control));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.FrameUnexpected));
    }

    [Test]
    public void UnknownAndGreaseTypes_AreAllowedEverywhere()
    {
        Assert.That(Http3FrameType.IsGrease(Http3FrameType.Grease(0)), Is.True);
        Assert.That(Http3FrameType.IsGrease(0x40), Is.True);
        Assert.That(Http3FrameType.IsGrease(0x41), Is.False);
        Assert.DoesNotThrow(() => Http3FrameReader.CheckAllowed(Http3FrameType.Grease(5), true));
        Assert.DoesNotThrow(() => Http3FrameReader.CheckAllowed(0x1234, false));
    }

    [Test]
    public void Capsules_DatagramCloseAndDrain()
    {
        var w = new ArrayBufferWriter<byte>();
        CapsuleCodec.Write(w, CapsuleType.Datagram, [1, 2, 3]);
        CapsuleCodec.WriteCloseSession(w, 0x1234, "bye");
        CapsuleCodec.Write(w, CapsuleType.WebTransportDrainSession, []);
        Assert.That(Hex.Of(w.WrittenSpan), Is.EqualTo("0003010203" + "6843" + "07" + "00001234627965" + "800078ae00"));

        ReadOnlySpan<byte> span = w.WrittenSpan;
        Assert.That(CapsuleCodec.TryReadHeader(span, 100, out long t, out long l, out int h), Is.True);
        Assert.That((t, l), Is.EqualTo((CapsuleType.Datagram, 3L)));
        span = span[(h + 3)..];
        CapsuleCodec.TryReadHeader(span, 100, out t, out l, out h);
        Assert.That(t, Is.EqualTo(CapsuleType.WebTransportCloseSession));
        Assert.That(CapsuleCodec.ReadCloseSession(span.Slice(h, (int)l)), Is.EqualTo((0x1234u, "bye")));
    }

    [Test]
    public void Capsules_BadLengths_AreMessageErrors()
    {
        var ex = Assert.Throws<Http3ProtocolException>(() => CapsuleCodec.TryReadHeader(Hex.Parse("00bfffffff"), 65536, out _, out _, out _));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.MessageError));
        ex = Assert.Throws<Http3ProtocolException>(() => CapsuleCodec.ReadCloseSession([0, 0, 1]));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.MessageError));
        ex = Assert.Throws<Http3ProtocolException>(() => CapsuleCodec.ReadCloseSession(new byte[4 + 1025]));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.MessageError));
    }

    [TestCase(0L, "00")]
    [TestCase(4L, "01")]
    [TestCase(400L, "4064")]
    public void HttpDatagram_QuarterStreamId(long streamId, string prefix)
    {
        var buf = new byte[8];
        int n = HttpDatagram.WritePrefix(buf, streamId);
        Assert.That(Hex.Of(buf.AsSpan(0, n)), Is.EqualTo(prefix));
        byte[] dgram = [.. buf.AsSpan(0, n), 9, 9];
        Assert.That(HttpDatagram.Parse(dgram, out var payload), Is.EqualTo(streamId));
        Assert.That(payload.ToArray(), Is.EqualTo(new byte[] { 9, 9 }));
        var ex = Assert.Throws<Http3ProtocolException>(() => HttpDatagram.Parse([], out _));
        Assert.That(ex!.ErrorCode, Is.EqualTo(Http3ErrorCode.DatagramError));
    }
}
