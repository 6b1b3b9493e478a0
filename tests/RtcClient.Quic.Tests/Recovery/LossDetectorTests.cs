using RtcClient.Quic.Crypto;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Recovery;

public class LossDetectorTests
{
    private const long Ms = 1000;
    private const EncryptionLevel App = EncryptionLevel.Application;

    private RecordingLossHandler _handler = null!;
    private NewReno _cc = null!;

    [SetUp]
    public void SetUp()
    {
        _handler = new RecordingLossHandler();
        _cc = new NewReno();
    }

    private LossDetector Create(bool isServer = true, bool confirmed = true)
    {
        return new LossDetector(isServer, _cc, _handler) { HandshakeConfirmed = confirmed, MaxAckDelay = 25 * Ms };
    }

    private static void Send(LossDetector d, EncryptionLevel space, long pn, long now, bool ackEliciting = true, int bytes = 1200)
    {
        var p = d.RentPacket();
        p.PacketNumber = pn;
        p.SentBytes = bytes;
        p.AckEliciting = ackEliciting;
        p.InFlight = ackEliciting;
        p.AddFrame(new SentFrame(0x08, StreamId: 4, Offset: pn * 1000, Length: 1000));
        d.OnPacketSent(space, p, now);
    }

    private static void Ack(LossDetector d, EncryptionLevel space, long now, long ackDelay, params (long Smallest, long Largest)[] ranges)
    {
        var r = ranges.Select(x => new AckRange(x.Smallest, x.Largest)).ToArray();
        d.OnAckReceived(space, r, ackDelay, now);
    }

    [Test]
    public void Rtt_is_sampled_from_the_largest_newly_acknowledged_packet()
    {
        var d = Create();
        Send(d, App, 0, 0);
        Send(d, App, 1, 10 * Ms);
        Ack(d, App, 110 * Ms, 0, (0, 1));
        Assert.That(d.Rtt.LatestRtt, Is.EqualTo(100 * Ms));
        Assert.That(_handler.Acked, Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(_cc.BytesInFlight, Is.Zero);
    }

    [Test]
    public void No_rtt_sample_when_the_largest_acknowledged_is_not_newly_acknowledged()
    {
        var d = Create();
        Send(d, App, 0, 0);
        Send(d, App, 1, 0);
        Ack(d, App, 50 * Ms, 0, (1, 1));
        Ack(d, App, 500 * Ms, 0, (0, 1));
        Assert.That(d.Rtt.LatestRtt, Is.EqualTo(50 * Ms));
    }

    [Test]
    public void No_rtt_sample_when_only_non_ack_eliciting_packets_are_newly_acknowledged()
    {
        var d = Create();
        Send(d, App, 0, 0, ackEliciting: false);
        Ack(d, App, 50 * Ms, 0, (0, 0));
        Assert.That(d.Rtt.HasSample, Is.False);
    }

    [Test]
    public void Ack_delay_is_ignored_in_the_initial_space()
    {
        var d = Create(confirmed: false);
        Send(d, EncryptionLevel.Initial, 0, 0);
        Send(d, EncryptionLevel.Initial, 1, 0);
        Ack(d, EncryptionLevel.Initial, 100 * Ms, 0, (0, 0));
        Ack(d, EncryptionLevel.Initial, 140 * Ms, 20 * Ms, (1, 1));
        // Unadjusted 140: srtt = (700 + 140) / 8.
        Assert.That(d.Rtt.SmoothedRtt, Is.EqualTo(105 * Ms));
    }

    [Test]
    public void Acknowledging_an_unsent_packet_is_a_protocol_violation()
    {
        var d = Create();
        Send(d, App, 0, 0);
        var ex = Assert.Throws<QuicProtocolException>(() => Ack(d, App, 1, 0, (0, 5)));
        Assert.That(ex!.Code, Is.EqualTo(TransportErrorCode.ProtocolViolation));
    }

    [Test]
    public void Packets_three_behind_the_largest_acknowledged_are_lost_by_packet_threshold()
    {
        var d = Create();
        for (long pn = 0; pn <= 4; pn++)
        {
            Send(d, App, pn, pn * Ms);
        }
        Ack(d, App, 100 * Ms, 0, (4, 4));
        Assert.That(_handler.Lost, Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(_handler.LostFrames.Select(f => f.Offset), Is.EqualTo(new long[] { 0, 1000 }), "lost packets hand back their frames");
        Assert.That(d.PacketsLost, Is.EqualTo(2));
        // 2 and 3 are not yet lost; the timer waits for their time threshold.
        long lossDelay = 9 * Math.Max(d.Rtt.SmoothedRtt, d.Rtt.LatestRtt) / 8;
        Assert.That(d.LossDetectionTimer, Is.EqualTo(2 * Ms + lossDelay));
        Assert.That(d.GetTracker(App).LossTime, Is.EqualTo(2 * Ms + lossDelay));

        var probe = d.OnLossDetectionTimeout(d.LossDetectionTimer);
        Assert.That(probe.Count, Is.Zero);
        Assert.That(_handler.Lost, Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(d.LossDetectionTimer, Is.EqualTo(3 * Ms + lossDelay));
        d.OnLossDetectionTimeout(d.LossDetectionTimer);
        Assert.That(_handler.Lost, Is.EqualTo(new long[] { 0, 1, 2, 3 }));
        Assert.That(d.LossDetectionTimer, Is.EqualTo(long.MaxValue), "nothing ack-eliciting left in flight");
    }

    [Test]
    public void Packets_sent_nine_eighths_rtt_before_are_lost_by_time_threshold()
    {
        var d = Create();
        Send(d, App, 0, 0);
        Send(d, App, 1, 0);
        Send(d, App, 2, 200 * Ms);
        // RTT sample 100 ms from packet 2 (ack at 300 ms): loss delay = 112.5 ms; packet 0 sent 300 ms ago is lost, 1 as well.
        Ack(d, App, 300 * Ms, 0, (2, 2));
        Assert.That(_handler.Lost, Is.EqualTo(new long[] { 0, 1 }));
    }

    [Test]
    public void Time_threshold_uses_the_larger_of_smoothed_and_latest_rtt()
    {
        var d = Create();
        Send(d, App, 0, 0);
        Ack(d, App, 100 * Ms, 0, (0, 0)); // srtt 100
        Send(d, App, 1, 1000 * Ms);
        Send(d, App, 2, 1100 * Ms);
        // latest_rtt = 300 ms (packet 2 acked at 1400) -> loss delay = 337.5 ms; packet 1 was sent 400 ms ago: lost.
        Ack(d, App, 1400 * Ms, 0, (2, 2));
        Assert.That(_handler.Lost, Is.EqualTo(new long[] { 1 }));

        var d2 = new LossDetector(true, new NewReno(), new RecordingLossHandler()) { HandshakeConfirmed = true };
        Send(d2, App, 0, 0);
        Ack(d2, App, 100 * Ms, 0, (0, 0));
        Send(d2, App, 1, 1000 * Ms);
        Send(d2, App, 2, 1250 * Ms);
        // latest 150, srtt ~106: loss delay ~168.75 ms < 400: lost; but had it been sent 150 ms before, not.
        Ack(d2, App, 1400 * Ms, 0, (2, 2));
        Assert.That(d2.PacketsLost, Is.EqualTo(1));
    }

    [Test]
    public void Pto_backs_off_exponentially_and_resets_on_ack()
    {
        var d = Create();
        Send(d, App, 0, 0);
        Ack(d, App, 100 * Ms, 0, (0, 0)); // srtt 100, rttvar 50 -> pto base 300
        Send(d, App, 1, 1000 * Ms);
        long period = 300 * Ms + 25 * Ms;
        Assert.That(d.LossDetectionTimer, Is.EqualTo(1000 * Ms + period));

        var probe = d.OnLossDetectionTimeout(d.LossDetectionTimer);
        Assert.That(probe, Is.EqualTo(new ProbeRequest(App, 2)));
        Assert.That(d.PtoCount, Is.EqualTo(1));
        Assert.That(d.LossDetectionTimer, Is.EqualTo(1000 * Ms + 2 * period));

        probe = d.OnLossDetectionTimeout(d.LossDetectionTimer);
        Assert.That(probe.Count, Is.EqualTo(2));
        Assert.That(d.PtoCount, Is.EqualTo(2));
        Assert.That(d.LossDetectionTimer, Is.EqualTo(1000 * Ms + 4 * period));
        Assert.That(_handler.Lost, Is.Empty, "a PTO declares nothing lost");

        Send(d, App, 2, 3000 * Ms);
        Ack(d, App, 3100 * Ms, 0, (2, 2));
        Assert.That(d.PtoCount, Is.Zero);
    }

    [Test]
    public void Early_timer_calls_do_nothing()
    {
        var d = Create();
        Send(d, App, 0, 0);
        Assert.That(d.OnLossDetectionTimeout(d.LossDetectionTimer - 1), Is.EqualTo(ProbeRequest.None));
        Assert.That(d.PtoCount, Is.Zero);
    }

    [Test]
    public void No_application_pto_before_handshake_confirmation()
    {
        var d = Create(isServer: true, confirmed: false);
        Send(d, App, 0, 0);
        Assert.That(d.LossDetectionTimer, Is.EqualTo(long.MaxValue));
        d.HandshakeConfirmed = true;
        d.RearmTimer(10);
        Assert.That(d.LossDetectionTimer, Is.EqualTo(d.Rtt.PtoBase + 25 * Ms));
    }

    [Test]
    public void Earliest_space_wins_and_application_adds_max_ack_delay()
    {
        var d = Create(isServer: true, confirmed: true);
        Send(d, EncryptionLevel.Handshake, 0, 100 * Ms);
        Send(d, App, 0, 90 * Ms);
        // Handshake: 100 + 999 ms; Application: 90 + 999 + 25 ms -> Handshake first.
        Assert.That(d.LossDetectionTimer, Is.EqualTo(1099 * Ms));
        Assert.That(d.OnLossDetectionTimeout(1099 * Ms), Is.EqualTo(new ProbeRequest(EncryptionLevel.Handshake, 2)));
    }

    [Test]
    public void Client_anti_deadlock_probe_without_anything_in_flight()
    {
        var d = Create(isServer: false, confirmed: false);
        Send(d, EncryptionLevel.Initial, 0, 0);
        Ack(d, EncryptionLevel.Initial, 100 * Ms, 0, (0, 0));
        // Nothing in flight, but the server has not validated our address: keep a timer.
        Assert.That(d.LossDetectionTimer, Is.EqualTo(100 * Ms + d.Rtt.PtoBase));
        Assert.That(d.OnLossDetectionTimeout(d.LossDetectionTimer), Is.EqualTo(new ProbeRequest(EncryptionLevel.Initial, 1)));

        d.HasHandshakeKeys = true;
        Assert.That(d.OnLossDetectionTimeout(d.LossDetectionTimer), Is.EqualTo(new ProbeRequest(EncryptionLevel.Handshake, 1)));
        Assert.That(d.PtoCount, Is.EqualTo(2));
    }

    [Test]
    public void Server_arms_no_timer_while_amplification_limited()
    {
        var d = Create(isServer: true, confirmed: false);
        d.AmplificationLimited = true;
        Send(d, EncryptionLevel.Initial, 0, 0);
        Assert.That(d.LossDetectionTimer, Is.EqualTo(long.MaxValue));
        d.AmplificationLimited = false;
        d.RearmTimer(0);
        Assert.That(d.LossDetectionTimer, Is.EqualTo(d.Rtt.PtoBase));
    }

    [Test]
    public void Discarding_a_space_removes_its_bytes_in_flight_without_loss()
    {
        var d = Create(isServer: false, confirmed: false);
        Send(d, EncryptionLevel.Initial, 0, 0);
        Send(d, EncryptionLevel.Initial, 1, 0);
        Assert.That(_cc.BytesInFlight, Is.EqualTo(2400));
        long cwnd = _cc.CongestionWindow;
        d.DiscardSpace(EncryptionLevel.Initial, 10);
        Assert.That(_cc.BytesInFlight, Is.Zero);
        Assert.That(_cc.CongestionWindow, Is.EqualTo(cwnd));
        Assert.That(_handler.Lost, Is.Empty);
        Assert.That(d.GetTracker(EncryptionLevel.Initial).Count, Is.Zero);
        // A late ACK for the discarded space is ignored.
        Assert.DoesNotThrow(() => Ack(d, EncryptionLevel.Initial, 20, 0, (0, 1)));
        Assert.That(_handler.Acked, Is.Empty);
    }

    [Test]
    public void Persistent_congestion_collapses_the_window()
    {
        var d = Create();
        Send(d, App, 0, 0);
        Ack(d, App, 100 * Ms, 0, (0, 0)); // srtt 100, rttvar 50, first sample at 100 ms
        long slowStartWindow = _cc.CongestionWindow;
        Assert.That(slowStartWindow, Is.GreaterThan(_cc.MinimumWindow));
        // Ack-eliciting packets 1..11 every 200 ms from 1 s: a 2 s span, all lost.
        for (long pn = 1; pn <= 11; pn++)
        {
            Send(d, App, pn, 1000 * Ms + (pn - 1) * 200 * Ms);
        }
        Send(d, App, 12, 3100 * Ms);
        Ack(d, App, 3200 * Ms, 0, (12, 12));
        // Duration = (srtt + 4 rttvar + max_ack_delay) * 3 is well below 2 s here.
        Assert.That((d.Rtt.PtoBase + d.MaxAckDelay) * 3, Is.LessThan(2000 * Ms));
        Assert.That(_handler.Lost, Is.EqualTo(Enumerable.Range(1, 11).Select(i => (long)i)));
        Assert.That(d.PersistentCongestionEvents, Is.EqualTo(1));
        // Collapsed to the minimum, recovery ended; then packet 12's acknowledgment (processed after
        // the losses, as in RFC 9002 Appendix A.7) grows it by one datagram in slow start.
        Assert.That(_cc.CongestionWindow, Is.EqualTo(_cc.MinimumWindow + 1200));
        Assert.That(_cc.SlowStartThreshold, Is.LessThan(slowStartWindow));
    }

    [Test]
    public void Rfc9002_section_7_6_3_example_establishes_persistent_congestion()
    {
        const long S = 1_000_000;
        // The example assumes smoothed_rtt = 1 s, rttvar ~ 0, max_ack_delay = 0.
        var rtt = new RttEstimator();
        for (int i = 0; i < 60; i++)
        {
            rtt.Update(S, 0, 0, true, 0);
        }
        var d = new LossDetector(true, _cc, _handler, rtt) { HandshakeConfirmed = true, MaxAckDelay = 0 };
        Send(d, App, 1, 0);
        Send(d, App, 2, 1 * S);
        Ack(d, App, 1_200_000, 0, (1, 1));
        for (long pn = 3; pn <= 7; pn++)
        {
            Send(d, App, pn, (pn - 1) * S);
        }
        Send(d, App, 8, 8 * S);   // PTO 1
        Send(d, App, 9, 12 * S);  // PTO 2
        Ack(d, App, 12_200_000, 0, (9, 9));

        Assert.That(_handler.Lost, Is.EqualTo(new long[] { 2, 3, 4, 5, 6, 7, 8 }));
        // Congestion period 8 - 1 = 7 s exceeds the persistent congestion duration (~3.7 s here).
        Assert.That((d.Rtt.PtoBase + d.MaxAckDelay) * 3, Is.LessThan(7 * S));
        Assert.That(d.PersistentCongestionEvents, Is.EqualTo(1));
    }

    [Test]
    public void An_acknowledged_packet_inside_the_period_prevents_persistent_congestion()
    {
        var d = Create();
        Send(d, App, 0, 0);
        Ack(d, App, 100 * Ms, 0, (0, 0));
        for (long pn = 1; pn <= 11; pn++)
        {
            Send(d, App, pn, 1000 * Ms + (pn - 1) * 200 * Ms);
        }
        Send(d, App, 12, 3100 * Ms);
        // Packet 6 (sent at 2 s) was acknowledged: the runs either side are each 1 s or less.
        Ack(d, App, 3200 * Ms, 0, (12, 12), (6, 6));
        Assert.That(_handler.Lost, Has.Count.EqualTo(10));
        Assert.That(d.PersistentCongestionEvents, Is.Zero);
        Assert.That(_cc.CongestionWindow, Is.GreaterThan(_cc.MinimumWindow));
    }

    [Test]
    public void Losses_before_the_first_rtt_sample_do_not_count_for_persistent_congestion()
    {
        var d = Create();
        for (long pn = 0; pn <= 10; pn++)
        {
            Send(d, App, pn, pn * 300 * Ms);
        }
        Send(d, App, 11, 3400 * Ms);
        Ack(d, App, 3500 * Ms, 0, (11, 11));
        Assert.That(d.PacketsLost, Is.EqualTo(11));
        Assert.That(d.PersistentCongestionEvents, Is.Zero);
    }

    [Test]
    public void Acked_ack_frames_are_reported_for_range_trimming()
    {
        var d = Create();
        var p = d.RentPacket();
        p.PacketNumber = 0;
        p.SentBytes = 50;
        p.LargestAcknowledged = 41;
        d.OnPacketSent(App, p, 0);
        Ack(d, App, 10, 0, (0, 0));
        Assert.That(_handler.AckOfAcks, Is.EqualTo(new long[] { 41 }));
    }

    [Test]
    public void Many_packets_in_flight_survive_compaction_and_growth()
    {
        var d = Create();
        for (long pn = 0; pn < 1000; pn++)
        {
            Send(d, App, pn, pn, bytes: 100);
        }
        // Acknowledge every other packet, then the rest, across several ACKs.
        for (long pn = 0; pn < 1000; pn += 2)
        {
            Ack(d, App, 2000 + pn, 0, (pn, pn));
        }
        Assert.That(d.GetTracker(App).Count + _handler.Lost.Count, Is.EqualTo(500));
        for (long pn = 1000; pn < 3000; pn++)
        {
            Send(d, App, pn, 5000 + pn, bytes: 100);
        }
        Ack(d, App, 10_000, 0, (0, 2999));
        Assert.That(d.GetTracker(App).Count, Is.Zero);
        Assert.That(_handler.Acked.Count + _handler.Lost.Count, Is.EqualTo(3000));
        Assert.That(_handler.Acked.Concat(_handler.Lost).Distinct().Count(), Is.EqualTo(3000));
    }
}

public class LossDetectorHostileAckTests
{
    [Test]
    public void Malformed_ranges_are_frame_encoding_errors_and_leave_state_intact()
    {
        var handler = new RecordingLossHandler();
        var d = new LossDetector(true, new NewReno(), handler) { HandshakeConfirmed = true };
        var p = d.RentPacket();
        p.PacketNumber = 0;
        p.SentBytes = 1200;
        p.AckEliciting = p.InFlight = true;
        d.OnPacketSent(EncryptionLevel.Application, p, 0);

        AckRange[] inverted = [new AckRange(5, 1)];
        AckRange[] negative = [new AckRange(-1, 0)];
        Assert.That(Assert.Throws<QuicProtocolException>(() => d.OnAckReceived(EncryptionLevel.Application, inverted, 0, 1))!.Code,
            Is.EqualTo(TransportErrorCode.FrameEncodingError));
        Assert.That(Assert.Throws<QuicProtocolException>(() => d.OnAckReceived(EncryptionLevel.Application, negative, 0, 1))!.Code,
            Is.EqualTo(TransportErrorCode.FrameEncodingError));
        Assert.That(handler.Acked, Is.Empty);
        Assert.That(d.GetTracker(EncryptionLevel.Application).Count, Is.EqualTo(1));
    }

    [Test]
    public void A_huge_range_and_many_tiny_ranges_cost_only_what_is_tracked()
    {
        var handler = new RecordingLossHandler();
        var d = new LossDetector(true, new NewReno(), handler) { HandshakeConfirmed = true };
        for (long pn = 0; pn < 100; pn++)
        {
            var p = d.RentPacket();
            p.PacketNumber = pn * 1000;
            p.SentBytes = 100;
            p.AckEliciting = p.InFlight = true;
            d.OnPacketSent(EncryptionLevel.Application, p, pn);
        }
        // 50 000 single-number ranges, mostly over packet numbers never used (skipped).
        var ranges = Enumerable.Range(0, 50_000).Select(i => new AckRange(99_000 - 2L * i, 99_000 - 2L * i)).Where(r => r.Smallest >= 0).ToArray();
        d.OnAckReceived(EncryptionLevel.Application, ranges, 0, 1000);
        Assert.That(handler.Acked, Has.Count.EqualTo(100));
    }
}
