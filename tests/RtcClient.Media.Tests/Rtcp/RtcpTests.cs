using RtcClient.Media.Rtcp;

namespace RtcClient.Media.Tests.Rtcp;

public class RtcpTests
{
    [Test]
    public void Compound_sr_sdes_rr_bye_nack_pli_round_trip()
    {
        var buffer = new byte[512];
        var block = new RtcpReportBlock(0x22, 25, -3, 70000, 123, 0x12345678, 0x10000);
        int n = RtcpWriter.WriteSenderReport(buffer, 0x11, new RtcpSenderInfo(0x0102030405060708, 9, 10, 11), [block]);
        n += RtcpWriter.WriteSourceDescription(buffer.AsSpan(n), 0x11, "alice@example");
        n += RtcpWriter.WriteReceiverReport(buffer.AsSpan(n), 0x33, [block]);
        n += RtcpWriter.WriteGenericNack(buffer.AsSpan(n), 0x33, 0x11, [65535, 0, 5, 100]);
        n += RtcpWriter.WritePictureLossIndication(buffer.AsSpan(n), 0x33, 0x11);
        n += RtcpWriter.WriteGoodbye(buffer.AsSpan(n), 0x11);

        var reader = new RtcpCompoundReader(buffer.AsSpan(0, n));
        Assert.That(reader.TryReadNext(out var sr), Is.True);
        Assert.That(sr.TryGetSenderInfo(out var info) && info == new RtcpSenderInfo(0x0102030405060708, 9, 10, 11), Is.True);
        Assert.That(sr.ReportBlockCount, Is.EqualTo(1));
        Assert.That(sr.GetReportBlock(0), Is.EqualTo(block));
        Assert.That(reader.TryReadNext(out var sdes), Is.True);
        Assert.That(sdes.TryGetCname(out uint cs, out var cname), Is.True);
        Assert.That(System.Text.Encoding.UTF8.GetString(cname), Is.EqualTo("alice@example"));
        Assert.That(cs, Is.EqualTo(0x11u));
        Assert.That(reader.TryReadNext(out var rr) && rr.SenderSsrc == 0x33 && rr.GetReportBlock(0) == block, Is.True);
        Assert.That(reader.TryReadNext(out var nack) && nack.IsGenericNack && nack.MediaSsrc == 0x11, Is.True);
        var lost = new ushort[32];
        int count = nack.GetNackedSequenceNumbers(lost);
        Assert.That(lost[..count], Is.EqualTo(new ushort[] { 65535, 0, 5, 100 }));
        Assert.That(reader.TryReadNext(out var pli) && pli.IsPictureLossIndication && pli.MediaSsrc == 0x11, Is.True);
        Assert.That(reader.TryReadNext(out var bye) && bye.GoodbyeSourceCount == 1 && bye.GetGoodbyeSource(0) == 0x11, Is.True);
        Assert.That(reader.TryReadNext(out _), Is.False);
        Assert.That(reader.Malformed, Is.False);
    }

    [Test]
    public void Malformed_compounds_stop_reading_without_exceptions()
    {
        byte[] lengthPastEnd = [0x81, 201, 0x00, 0x10, 0, 0, 0, 1];
        var r1 = new RtcpCompoundReader(lengthPastEnd);
        Assert.That(r1.TryReadNext(out _), Is.False);
        Assert.That(r1.Malformed, Is.True);
        // RR claiming 31 blocks but carrying none: counted as zero present.
        byte[] liar = [0x9F, 201, 0x00, 0x01, 0, 0, 0, 1];
        var r2 = new RtcpCompoundReader(liar);
        Assert.That(r2.TryReadNext(out var rr), Is.True);
        Assert.That(rr.ReportBlockCount, Is.Zero);
        var random = new Random(3);
        var buffer = new byte[200];
        Span<ushort> lost = stackalloc ushort[64];
        for (int i = 0; i < 50_000; i++)
        {
            int n = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, n));
            if (n > 0)
                buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
            var reader = new RtcpCompoundReader(buffer.AsSpan(0, n));
            for (int guard = 0; guard < 100 && reader.TryReadNext(out var p); guard++)
            {
                for (int b = 0; b < p.ReportBlockCount; b++)
                    _ = p.GetReportBlock(b);
                p.TryGetSenderInfo(out _);
                p.TryGetCname(out _, out _);
                p.GetNackedSequenceNumbers(lost);
            }
        }
    }

    [Test]
    public void Round_trip_time_from_lsr_and_dlsr()
    {
        var reporter = new RtcpReceptionReporter();
        var sentAt = TimeSpan.FromSeconds(10);
        uint lsr = NtpTime.ToCompact(sentAt);
        // The remote held the SR for 250 ms; the whole round trip took 330 ms, so RTT = 80 ms.
        reporter.OnReportBlock(new RtcpReportBlock(1, 0, 0, 0, 0, lsr, NtpTime.ToCompactDuration(TimeSpan.FromMilliseconds(250))), sentAt + TimeSpan.FromMilliseconds(330));
        Assert.That(reporter.RoundTripTime!.Value.TotalMilliseconds, Is.EqualTo(80).Within(0.1));
    }
}
