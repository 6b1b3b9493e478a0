using RtcClient.Media.Dtmf;
using RtcClient.Media.Rtp;
using RtcClient.Media.Simulation;
using RtcClient.Media.Tests.TestSupport;

namespace RtcClient.Media.Tests.Dtmf;

public class DtmfOverSimulatedLinkTests
{
    [TestCase(0.0, 1)]
    [TestCase(0.15, 2)]
    [TestCase(0.15, 3)]
    public void Digits_sent_mid_call_arrive_once_each_in_order_with_their_durations(double loss, int seed)
    {
        var call = new AudioCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(30), Jitter = TimeSpan.FromMilliseconds(10), LossRate = loss }, seed);
        var digits = new List<DtmfDigit>();
        call.Receiver.DtmfReceived += digits.Add;
        call.Run(TimeSpan.FromSeconds(1));
        const string sequence = "123*#0A9";
        foreach (char c in sequence)
            Assert.That(call.Sender.SendDtmf(c, TimeSpan.FromMilliseconds(c == '0' ? 250 : 100)), Is.True);
        call.Run(TimeSpan.FromSeconds(4));

        TestContext.Out.WriteLine(string.Join(", ", digits));
        Assert.That(new string(digits.Select(d => d.Digit).ToArray()), Is.EqualTo(sequence));
        foreach (var d in digits)
        {
            var expected = TimeSpan.FromMilliseconds(d.Digit == '0' ? 250 : 100);
            if (d.EndReceived)
                Assert.That(d.Duration, Is.EqualTo(expected), $"{d.Digit}: the end packet carries the full duration");
            else
                Assert.That(d.Duration, Is.InRange(expected - TimeSpan.FromMilliseconds(60), expected), $"{d.Digit}: last update before lost ends");
        }
        // Audio resumed after the digits.
        Assert.That(call.Receiver.JitterBufferStatistics.DecodedSamples, Is.GreaterThan(8000 * 2), "about 2.8 s of tone around 2.2 s of digits");
    }

    [Test]
    public void Sender_emits_marker_first_updates_and_three_end_packets_with_fixed_timestamp()
    {
        var packetizer = new RtcClient.Media.Packetization.AudioPacketizer(0, 7, 8000, TimeSpan.FromMilliseconds(20), 10, 1000);
        var sender = new DtmfSender(packetizer, 101);
        sender.Enqueue('5', TimeSpan.FromMilliseconds(200));
        var events = Run(sender, 20);
        Assert.That(events.Select(e => e.Ts).Distinct().ToList(), Is.EqualTo(new List<uint> { 1000u }), "one event start timestamp");
        Assert.That(events.Select(e => e.Marker), Is.EqualTo(Enumerable.Repeat(false, events.Count - 1).Prepend(true)));
        Assert.That(events.Select(e => (int)e.Seq), Is.EqualTo(Enumerable.Range(10, events.Count)), "fresh sequence numbers");
        var ends = events.Where(e => e.Ev.End).ToList();
        Assert.That(ends, Has.Count.EqualTo(3));
        Assert.That(ends.All(e => e.Ev.Duration == 1600), Is.True, "200 ms at 8 kHz");
        var updates = events.Where(e => !e.Ev.End).Select(e => (int)e.Ev.Duration).ToList();
        Assert.That(updates[0], Is.EqualTo(160));
        Assert.That(updates.Zip(updates.Skip(1), (a, b) => b - a).All(d => d is >= 400 and <= 480), Is.True, "updates about every 50 ms");
        Assert.That(events.All(e => e.Ev.Event == 5 && e.Ev.Volume == 10), Is.True);
    }

    [Test]
    public void A_digit_longer_than_the_duration_field_goes_in_segments_and_arrives_as_one()
    {
        // 3 s at Opus's 48 kHz clock is 144,000 units: the 16-bit duration field holds 65,535.
        var packetizer = new RtcClient.Media.Packetization.AudioPacketizer(111, 7, 48000, TimeSpan.FromMilliseconds(20), 10, 1000);
        var sender = new DtmfSender(packetizer, 101);
        Assert.That(sender.Enqueue('7', TimeSpan.FromSeconds(3)), Is.True);
        var receiver = new DtmfReceiver(48000);
        var digits = new List<DtmfDigit>();
        receiver.DigitReceived += digits.Add;
        var events = Run(sender, 200, receiver);
        Assert.That(events.Select(e => e.Ts).Distinct(), Is.EqualTo(new uint[] { 1000, 1000 + 65535, 1000 + 2 * 65535 }), "three segments, each starting where the last ended");
        Assert.That(events.Count(e => e.Marker), Is.EqualTo(1), "the marker only on the event's first packet");
        foreach (uint start in new uint[] { 1000, 1000 + 65535 })
        {
            var segment = events.Where(e => e.Ts == start).ToList();
            Assert.That(segment.Last().Ev.Duration, Is.EqualTo(ushort.MaxValue), "a full segment ends with the whole field");
            Assert.That(segment.Any(e => e.Ev.End), Is.False, "only the last segment has the E bit");
        }
        var ends = events.Where(e => e.Ev.End).ToList();
        Assert.That(ends.Select(e => (e.Ts, (int)e.Ev.Duration)), Is.EqualTo(Enumerable.Repeat((1000u + 2 * 65535, 144_000 - 2 * 65535), 3)));
        Assert.That(digits, Is.EqualTo(new[] { new DtmfDigit('7', TimeSpan.FromSeconds(3), 1000, true) }), "one digit of 3 s");
    }

    /// <summary>Ticks the sender; every packet it writes is parsed (and handed to <paramref name="receiver"/>, if any).</summary>
    private static List<(ushort Seq, uint Ts, bool Marker, TelephoneEvent Ev)> Run(DtmfSender sender, int ticks, DtmfReceiver? receiver = null)
    {
        var buffer = new byte[64];
        var events = new List<(ushort Seq, uint Ts, bool Marker, TelephoneEvent Ev)>();
        for (int tick = 0; tick < ticks; tick++)
        {
            int n = sender.OnFrame(buffer);
            if (n == 0)
                continue;
            Assert.That(RtpPacket.TryParse(buffer.AsSpan(0, n), out var rtp), Is.EqualTo(RtpParseStatus.Ok));
            Assert.That(TelephoneEvent.TryRead(rtp.Payload, out var ev), Is.True);
            events.Add((rtp.SequenceNumber, rtp.Timestamp, rtp.Marker, ev));
            receiver?.Process(rtp, TimeSpan.FromMilliseconds(20 * tick));
        }
        return events;
    }

    [Test]
    public void A_digit_longer_than_a_minute_or_negative_is_refused()
    {
        var sender = new DtmfSender(new RtcClient.Media.Packetization.AudioPacketizer(0, 7, 8000, TimeSpan.FromMilliseconds(20), 10, 1000), 101);
        Assert.That(sender.Enqueue('1', DtmfSender.MaxDuration + TimeSpan.FromMilliseconds(20)), Is.False);
        Assert.That(sender.Enqueue('1', TimeSpan.FromMilliseconds(-1)), Is.False);
        Assert.That(sender.Enqueue('1', DtmfSender.MaxDuration), Is.True);
    }

    [Test]
    public void Receiver_ignores_redundant_ends_and_stale_packets_and_survives_lost_starts()
    {
        var digits = new List<DtmfDigit>();
        var receiver = new DtmfReceiver(8000);
        receiver.DigitReceived += digits.Add;
        var payload = new byte[4];
        void Send(uint ts, byte ev, bool end, ushort duration)
        {
            new TelephoneEvent(ev, end, 10, duration).Write(payload);
            receiver.Process(ts, payload, TimeSpan.Zero);
        }
        // Event at 1000: start lost, an update, three ends.
        Send(1000, 1, false, 480);
        Send(1000, 1, true, 800);
        Send(1000, 1, true, 800);
        Send(1000, 1, true, 800);
        // A stale update of the old event after the new one started; new event's ends all lost.
        Send(5000, 2, false, 160);
        Send(1000, 1, false, 640);
        Send(5000, 2, false, 560);
        Send(9000, 3, true, 400);
        receiver.Process(9000, payload.AsSpan(0, 2), TimeSpan.Zero); // truncated
        Assert.That(digits.Select(d => (d.Digit, (int)d.Duration.TotalMilliseconds, d.EndReceived)),
            Is.EqualTo(new[] { ('1', 100, true), ('2', 70, false), ('3', 50, true) }));
        Assert.That(receiver.Ignored, Is.EqualTo(3));
        Assert.That(receiver.Malformed, Is.EqualTo(1));
    }
}
