using RtcClient.Media.Codecs;

namespace RtcClient.Media.Tests.Codecs;

public class OpusCodecTests
{
    private const int Frame = 960;

    private static List<byte[]> EncodeAll(OpusEncoder encoder, short[] signal)
    {
        var packets = new List<byte[]>();
        var payload = new byte[OpusEncoder.MaxPayloadBytes];
        for (int off = 0; off + Frame <= signal.Length; off += Frame)
        {
            int n = encoder.Encode(signal.AsSpan(off, Frame), payload);
            packets.Add(payload.AsSpan(0, n).ToArray());
        }
        return packets;
    }

    internal static short[] DecodeAll(OpusDecoder decoder, IEnumerable<byte[]?> packets)
    {
        var output = new List<short>();
        var pcm = new short[5760];
        foreach (var p in packets)
        {
            int n = p is null ? decoder.Conceal(pcm, Frame) : decoder.Decode(p, pcm);
            output.AddRange(pcm.AsSpan(0, n).ToArray());
        }
        return [.. output];
    }

    [Test]
    public void One_second_of_speech_like_signal_round_trips_with_correlation_above_0_9()
    {
        var signal = TestSignals.SpeechLike(48000, 1.0);
        using var encoder = new OpusEncoder();
        using var decoder = new OpusDecoder();
        Assert.That(encoder.Lookahead, Is.EqualTo(312));
        var decoded = DecodeAll(decoder, EncodeAll(encoder, signal));
        Assert.That(decoded, Has.Length.EqualTo(signal.Length));
        var (correlation, lag) = TestSignals.BestCorrelation(signal, decoded, 1000);
        TestContext.Out.WriteLine($"correlation {correlation:F4} at lag {lag}");
        Assert.That(correlation, Is.GreaterThan(0.9));
        Assert.That(lag, Is.InRange(250, 400), "the delay should be about the 312-sample lookahead");
    }

    [Test]
    public void Bitrate_setting_changes_the_packet_size()
    {
        var signal = TestSignals.SpeechLike(48000, 1.0);
        double Average(int bitrate)
        {
            using var encoder = new OpusEncoder { Bitrate = bitrate, Complexity = 5 };
            Assert.That(encoder.Bitrate, Is.EqualTo(bitrate));
            return EncodeAll(encoder, signal).Average(p => p.Length);
        }
        double low = Average(12000), high = Average(64000);
        TestContext.Out.WriteLine($"12 kbit/s: {low:F1} B, 64 kbit/s: {high:F1} B per 20 ms");
        Assert.That(low, Is.InRange(20, 45));
        Assert.That(high, Is.InRange(90, 200));
    }

    [Test]
    public void Dtx_sends_nothing_for_most_silent_frames_and_marks_where_silence_starts()
    {
        using var encoder = new OpusEncoder { Dtx = true };
        var silence = new short[48000];
        var sizes = EncodeAll(encoder, silence).Select(p => p.Length).ToList();
        int empty = sizes.Count(s => s == 0);
        TestContext.Out.WriteLine($"{empty} of {sizes.Count} frames suppressed: {string.Join(' ', sizes)}");
        Assert.That(sizes.Count(s => s <= 2), Is.GreaterThan(sizes.Count * 3 / 4), "no audio in most frames");
        Assert.That(empty, Is.GreaterThan(sizes.Count * 2 / 3), "nothing to send for most frames");
        // The first DTX frame of each run (1-2 bytes) is sent, so the receiver knows the sender went silent.
        for (int i = 0; i < sizes.Count; i++)
        {
            if (sizes[i] is > 0 and <= 2)
                Assert.That(i == 0 || sizes[i - 1] > 2, Is.True, $"frame {i}: a DTX marker only where a run starts");
            if (sizes[i] == 0)
                Assert.That(i > 0 && sizes[i - 1] <= 2, Is.True, $"frame {i}: suppressed only after a DTX marker");
        }

        using var plain = new OpusEncoder { Dtx = false };
        Assert.That(EncodeAll(plain, silence).All(p => p.Length > 0), Is.True);
    }

    [Test]
    public void Lost_frame_is_recovered_from_in_band_fec_better_than_by_concealment()
    {
        var signal = TestSignals.SpeechLike(48000, 1.0);
        using var encoder = new OpusEncoder { InbandFec = true, PacketLossPercentage = 20, Bitrate = 24000 };
        Assert.That(encoder.InbandFec && encoder.PacketLossPercentage == 20, Is.True);
        var packets = EncodeAll(encoder, signal);
        using var reference = new OpusDecoder();
        var clean = DecodeAll(reference, packets);

        const int lost = 25;
        using var withFec = new OpusDecoder();
        using var withPlc = new OpusDecoder();
        var pcm = new short[Frame];
        for (int i = 0; i < lost; i++)
        {
            withFec.Decode(packets[i], pcm);
            withPlc.Decode(packets[i], pcm);
        }
        var recovered = new short[Frame];
        Assert.That(withFec.DecodeFromNext(packets[lost + 1], recovered, Frame), Is.EqualTo(Frame));
        var concealed = new short[Frame];
        Assert.That(withPlc.Conceal(concealed, Frame), Is.EqualTo(Frame));
        var truth = clean.AsSpan(lost * Frame, Frame);
        double fec = TestSignals.Correlation(truth, recovered, 0);
        double plc = TestSignals.Correlation(truth, concealed, 0);
        TestContext.Out.WriteLine($"FEC {fec:F3}, PLC {plc:F3}");
        Assert.That(fec, Is.GreaterThan(0.8));
        Assert.That(fec, Is.GreaterThan(plc));
        Assert.That(withFec.RecoveredSamples, Is.EqualTo(Frame));
        Assert.That(withPlc.ConcealedSamples, Is.EqualTo(Frame));
    }

    [Test]
    public void Decoder_plc_continues_the_signal_and_corrupt_payloads_are_concealed()
    {
        var signal = TestSignals.SpeechLike(48000, 1.0);
        using var encoder = new OpusEncoder();
        var packets = EncodeAll(encoder, signal);
        using var decoder = new OpusDecoder();
        var withLoss = packets.Select((p, i) => i % 10 == 5 ? null : p).ToList();
        var decoded = DecodeAll(decoder, withLoss);
        Assert.That(decoded, Has.Length.EqualTo(signal.Length));
        Assert.That(decoder.ConcealedSamples, Is.EqualTo(5 * Frame));
        var (correlation, _) = TestSignals.BestCorrelation(signal, decoded, 1000);
        Assert.That(correlation, Is.GreaterThan(0.85));

        var pcm = new short[Frame];
        Assert.That(decoder.Decode([0xFF, 0xFF, 0xFF], pcm), Is.EqualTo(Frame), "garbage is concealed, not thrown");
        Assert.That(decoder.CorruptPayloads, Is.EqualTo(1));
        Assert.That(decoder.DecodeFromNext([0xF8, 0x00], pcm, Frame), Is.Zero, "CELT-only packets carry no FEC");
    }

    [Test]
    public void Toc_durations_follow_rfc6716()
    {
        Assert.That(OpusPacket.GetSamples48k([0x08]), Is.EqualTo(960));      // SILK NB 20 ms, one frame
        Assert.That(OpusPacket.GetSamples48k([0x79]), Is.EqualTo(1920));     // hybrid FB 20 ms, code 1: two frames
        Assert.That(OpusPacket.GetSamples48k([0xF8]), Is.EqualTo(960));      // CELT FB 20 ms
        Assert.That(OpusPacket.GetSamples48k([0xE3, 0x03]), Is.EqualTo(360)); // CELT 2.5 ms, code 3, 3 frames
        Assert.That(OpusPacket.GetSamples48k([0x1B, 0x03]), Is.EqualTo(-1)); // 3 × 60 ms exceeds 120 ms
        Assert.That(OpusPacket.GetSamples48k([0x03]), Is.EqualTo(-1));       // code 3 without count byte
        Assert.That(OpusPacket.GetSamples48k([]), Is.EqualTo(-1));
    }
}
