using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Tests.Recovery;

public class ReceivedPacketTrackerTests
{
    private static AckRange[] Ranges(ReceivedPacketTracker tracker)
    {
        var buffer = new AckRange[64];
        int n = tracker.GetAckRanges(buffer);
        return buffer[..n];
    }

    [Test]
    public void Duplicates_are_detected_and_not_recorded_twice()
    {
        var t = new ReceivedPacketTracker(delayAcks: true);
        Assert.That(t.OnPacketReceived(7, true, 0), Is.True);
        Assert.That(t.IsDuplicate(7), Is.True);
        Assert.That(t.OnPacketReceived(7, true, 1), Is.False);
        Assert.That(t.IsDuplicate(6), Is.False);
        Assert.That(t.OnPacketReceived(6, true, 2), Is.True, "a late packet below the first one is not a duplicate");
    }

    [Test]
    public void Ranges_are_reported_largest_first_with_gaps()
    {
        var t = new ReceivedPacketTracker(delayAcks: true);
        foreach (long pn in new long[] { 0, 1, 2, 5, 6, 9 })
        {
            t.OnPacketReceived(pn, true, pn);
        }
        Assert.That(Ranges(t), Is.EqualTo(new[] { new AckRange(9, 9), new AckRange(5, 6), new AckRange(0, 2) }));
        Assert.That(t.LargestReceived, Is.EqualTo(9));

        // Filling the gaps merges ranges.
        t.OnPacketReceived(3, true, 10);
        t.OnPacketReceived(4, true, 11);
        t.OnPacketReceived(7, true, 12);
        t.OnPacketReceived(8, true, 13);
        Assert.That(Ranges(t), Is.EqualTo(new[] { new AckRange(0, 9) }));
    }

    [Test]
    public void Range_count_is_capped_by_dropping_the_oldest_and_late_packets_below_are_discarded()
    {
        var t = new ReceivedPacketTracker(delayAcks: true, maxAckRanges: 32);
        for (long pn = 0; pn <= 80; pn += 2)
        {
            t.OnPacketReceived(pn, true, pn);
        }
        var ranges = Ranges(t);
        Assert.That(ranges, Has.Length.EqualTo(32));
        Assert.That(ranges[0], Is.EqualTo(new AckRange(80, 80)));
        Assert.That(ranges[31], Is.EqualTo(new AckRange(18, 18)));
        // 0..16 were forgotten: anything below 17 cannot be told from a duplicate any more.
        Assert.That(t.IsDuplicate(15), Is.True);
        Assert.That(t.OnPacketReceived(15, true, 100), Is.False);
        Assert.That(t.IsDuplicate(17), Is.False);
    }

    [Test]
    public void A_short_destination_keeps_the_largest_ranges()
    {
        var t = new ReceivedPacketTracker(delayAcks: true);
        foreach (long pn in new long[] { 1, 3, 5, 7 })
        {
            t.OnPacketReceived(pn, false, 0);
        }
        var two = new AckRange[2];
        Assert.That(t.GetAckRanges(two), Is.EqualTo(2));
        Assert.That(two, Is.EqualTo(new[] { new AckRange(7, 7), new AckRange(5, 5) }));
    }

    [Test]
    public void Initial_and_handshake_spaces_ack_every_ack_eliciting_packet_immediately()
    {
        var t = new ReceivedPacketTracker(delayAcks: false);
        t.OnPacketReceived(0, ackEliciting: true, now: 0);
        Assert.That(t.ShouldSendAck(0), Is.True);
    }

    [Test]
    public void Application_space_acks_every_second_ack_eliciting_packet_and_delays_the_first()
    {
        var t = new ReceivedPacketTracker(delayAcks: true) { MaxAckDelay = 25_000 };
        t.OnPacketReceived(0, true, 1_000);
        Assert.That(t.AckImmediately, Is.False);
        Assert.That(t.AckDeadline, Is.EqualTo(26_000));
        Assert.That(t.ShouldSendAck(25_999), Is.False);
        Assert.That(t.ShouldSendAck(26_000), Is.True);

        t.OnPacketReceived(1, true, 2_000);
        Assert.That(t.ShouldSendAck(2_000), Is.True);

        t.OnAckSent();
        Assert.That(t.ShouldSendAck(1_000_000), Is.False);
        Assert.That(t.AckDeadline, Is.EqualTo(long.MaxValue));
    }

    [Test]
    public void Non_ack_eliciting_packets_never_trigger_an_ack_on_their_own()
    {
        var t = new ReceivedPacketTracker(delayAcks: true);
        t.OnPacketReceived(0, false, 0);
        t.OnPacketReceived(1, false, 0);
        t.OnPacketReceived(2, false, 0);
        Assert.That(t.ShouldSendAck(long.MaxValue - 1), Is.False);
        Assert.That(t.HasNewAckInformation, Is.True, "they are still reported when an ACK goes out anyway");
    }

    [Test]
    public void A_gap_before_a_new_packet_triggers_an_immediate_ack()
    {
        var t = new ReceivedPacketTracker(delayAcks: true);
        t.OnPacketReceived(0, true, 0);
        t.OnAckSent();
        t.OnPacketReceived(2, true, 1);
        Assert.That(t.AckImmediately, Is.True);
    }

    [Test]
    public void A_reordered_packet_triggers_an_immediate_ack()
    {
        var t = new ReceivedPacketTracker(delayAcks: true);
        t.OnPacketReceived(0, true, 0);
        t.OnPacketReceived(2, true, 0);
        t.OnAckSent();
        t.OnPacketReceived(1, true, 1);
        Assert.That(t.AckImmediately, Is.True);
    }

    [Test]
    public void In_order_packets_after_non_eliciting_ones_do_not_count_as_a_gap()
    {
        var t = new ReceivedPacketTracker(delayAcks: true);
        t.OnPacketReceived(0, true, 0);
        t.OnAckSent();
        t.OnPacketReceived(1, false, 0);
        t.OnPacketReceived(2, true, 0);
        Assert.That(t.AckImmediately, Is.False);
    }

    [Test]
    public void Ack_delay_is_measured_from_the_largest_packet_arrival()
    {
        var t = new ReceivedPacketTracker(delayAcks: true);
        t.OnPacketReceived(5, true, 10_000);
        t.OnPacketReceived(3, true, 12_000);
        Assert.That(t.GetAckDelay(17_000), Is.EqualTo(7_000));
    }

    [Test]
    public void Acknowledged_ack_frames_stop_reporting_ranges_below_their_largest()
    {
        var t = new ReceivedPacketTracker(delayAcks: true);
        foreach (long pn in new long[] { 0, 1, 2, 4, 5, 8 })
        {
            t.OnPacketReceived(pn, true, 0);
        }
        t.OnAckOfAckReceived(4);
        Assert.That(Ranges(t), Is.EqualTo(new[] { new AckRange(8, 8), new AckRange(5, 5) }));
        // Still duplicates: forgetting ACK ranges does not forget what was received.
        Assert.That(t.IsDuplicate(1), Is.True);
        // A late packet below the trimmed point is acknowledged again.
        Assert.That(t.OnPacketReceived(3, true, 1), Is.True);
        Assert.That(Ranges(t), Is.EqualTo(new[] { new AckRange(8, 8), new AckRange(5, 5), new AckRange(3, 3) }));
    }
}
