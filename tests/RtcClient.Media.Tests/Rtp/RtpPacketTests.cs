using RtcClient.Media.Rtp;

namespace RtcClient.Media.Tests.Rtp;

public class RtpPacketTests
{
    [Test]
    public void Writes_and_parses_header_audio_level_and_payload()
    {
        var buffer = new byte[100];
        int n = RtpPacketWriter.Write(buffer, new RtpHeader(111, 65535, 0xFFFFFFF0, 0xCAFEBABE, true), [1, 2, 3], new AudioLevel(42, true));
        Assert.That(RtpPacket.TryParse(buffer.AsSpan(0, n), out var p), Is.EqualTo(RtpParseStatus.Ok));
        Assert.That((p.PayloadType, p.SequenceNumber, p.Timestamp, p.Ssrc, p.Marker), Is.EqualTo(((byte)111, (ushort)65535, 0xFFFFFFF0u, 0xCAFEBABEu, true)));
        Assert.That(p.Payload.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(p.ExtensionProfile, Is.EqualTo(0xBEDE));
        Assert.That(p.TryGetExtension(1, out var level), Is.True);
        Assert.That(AudioLevel.TryRead(level, out var parsed) && parsed == new AudioLevel(42, true), Is.True);
    }

    [Test]
    public void Two_byte_extensions_and_csrcs_round_trip()
    {
        var buffer = new byte[200];
        int n = RtpPacketWriter.WriteHeader(buffer, new RtpHeader(96, 1, 2, 3), hasExtension: true, [10u, 20u]);
        var ext = new RtpHeaderExtensionWriter(buffer.AsSpan(n), RtpHeaderExtensionForm.TwoByte);
        Assert.That(ext.TryAdd(200, new byte[20]), Is.True);
        Assert.That(ext.TryAdd(3, ReadOnlySpan<byte>.Empty), Is.True);
        n += ext.Complete();
        Assert.That(RtpPacket.TryParse(buffer.AsSpan(0, n), out var p), Is.EqualTo(RtpParseStatus.Ok));
        Assert.That((p.CsrcCount, p.GetCsrc(0), p.GetCsrc(1)), Is.EqualTo((2, 10u, 20u)));
        Assert.That(p.TryGetExtension(200, out var v) && v.Length == 20, Is.True);
        Assert.That(p.TryGetExtension(3, out var e) && e.IsEmpty, Is.True);
        Assert.That(p.Payload.IsEmpty, Is.True);
    }

    [Test]
    public void One_byte_form_rejects_out_of_range_ids_and_lengths()
    {
        var ext = new RtpHeaderExtensionWriter(new byte[64], RtpHeaderExtensionForm.OneByte);
        Assert.That(ext.TryAdd(15, new byte[1]), Is.False);
        Assert.That(ext.TryAdd(0, new byte[1]), Is.False);
        Assert.That(ext.TryAdd(1, new byte[17]), Is.False);
        Assert.That(ext.TryAdd(14, new byte[16]), Is.True);
    }

    [TestCase(new byte[] { 0x80, 0, 0, 1 }, RtpParseStatus.Truncated)]
    [TestCase(new byte[] { 0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, RtpParseStatus.BadVersion)]
    [TestCase(new byte[] { 0x8F, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 }, RtpParseStatus.CsrcPastEnd)]
    [TestCase(new byte[] { 0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0xFF, 0xFF, 0x10 }, RtpParseStatus.ExtensionPastEnd)]
    [TestCase(new byte[] { 0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE }, RtpParseStatus.ExtensionPastEnd)]
    [TestCase(new byte[] { 0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 200 }, RtpParseStatus.BadPadding)]
    [TestCase(new byte[] { 0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0 }, RtpParseStatus.BadPadding)]
    public void Hostile_headers_are_rejected_with_a_reason(byte[] data, RtpParseStatus expected)
    {
        Assert.That(RtpPacket.TryParse(data, out _), Is.EqualTo(expected));
    }

    [Test]
    public void Extension_element_past_its_end_stops_reading()
    {
        // One-byte element claiming 16 bytes inside a 4-byte extension body.
        byte[] data = [0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 1, 0x1F, 1, 2, 3];
        Assert.That(RtpPacket.TryParse(data, out var p), Is.EqualTo(RtpParseStatus.Ok));
        var reader = p.Extensions;
        Assert.That(reader.TryReadNext(out _, out _), Is.False);
        Assert.That(reader.Malformed, Is.True);
    }

    [Test]
    public void Random_bytes_never_throw()
    {
        var random = new Random(1);
        var buffer = new byte[300];
        int ok = 0;
        for (int i = 0; i < 100_000; i++)
        {
            int n = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, n));
            if (n > 0)
                buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
            if (RtpPacket.TryParse(buffer.AsSpan(0, n), out var p) == RtpParseStatus.Ok)
            {
                ok++;
                var reader = p.Extensions;
                int guard = 0;
                while (reader.TryReadNext(out _, out _) && guard++ < 1000)
                {
                }
            }
        }
        Assert.That(ok, Is.GreaterThan(0));
    }

    [Test]
    public void Flow_id_varints_round_trip_and_reject_truncation()
    {
        var buffer = new byte[8];
        foreach (ulong v in new ulong[] { 0, 63, 64, 16383, 16384, 1073741823, 1073741824, FlowIdVarint.MaxValue })
        {
            int n = FlowIdVarint.Write(buffer, v);
            Assert.That(FlowIdVarint.Read(buffer.AsSpan(0, n), out ulong back), Is.EqualTo(n));
            Assert.That(back, Is.EqualTo(v));
            if (n > 1)
                Assert.That(FlowIdVarint.Read(buffer.AsSpan(0, n - 1), out _), Is.Zero);
        }
        Assert.That(RtpDatagram.TryRead([0x40], out _, out _), Is.False);
        Assert.That(RtpDatagram.TryRead([5], out _, out _), Is.False, "flow id without a packet");
    }
}
