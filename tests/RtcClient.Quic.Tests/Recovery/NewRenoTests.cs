using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Tests.Recovery;

public class NewRenoTests
{
    private static SentPacket Packet(long pn, long timeSent, int bytes = 1200)
    {
        var p = new SentPacket { PacketNumber = pn, SentBytes = bytes, AckEliciting = true, InFlight = true };
        p.TimeSent = timeSent;
        return p;
    }

    [Test]
    public void Initial_window_is_ten_datagrams_capped_at_14720()
    {
        Assert.That(new NewReno(1200).CongestionWindow, Is.EqualTo(12_000));
        Assert.That(new NewReno(1500).CongestionWindow, Is.EqualTo(14_720));
        Assert.That(new NewReno(9000).CongestionWindow, Is.EqualTo(18_000));
    }

    [Test]
    public void Cwnd_evolves_through_slow_start_loss_recovery_and_congestion_avoidance()
    {
        var cc = new NewReno(1200);
        // Slow start: each acknowledged byte grows the window by a byte.
        var first = Enumerable.Range(0, 10).Select(i => Packet(i, 0)).ToArray();
        foreach (var p in first)
        {
            Assert.That(cc.CanSend(1200), Is.True);
            cc.OnPacketSent(0, 1200);
        }
        Assert.That(cc.CanSend(1200), Is.False, "window full");
        cc.OnPacketsAcked(first, 100);
        Assert.That(cc.CongestionWindow, Is.EqualTo(24_000));
        Assert.That(cc.BytesInFlight, Is.Zero);
        Assert.That(cc.InSlowStart, Is.True);

        // Loss of a packet sent at t=200 at t=300: halve, enter recovery.
        var second = Enumerable.Range(10, 20).Select(i => Packet(i, 200)).ToArray();
        foreach (var _ in second)
        {
            cc.OnPacketSent(200, 1200);
        }
        cc.OnPacketsLost(second.AsSpan(..1), 300);
        Assert.That(cc.SlowStartThreshold, Is.EqualTo(12_000));
        Assert.That(cc.CongestionWindow, Is.EqualTo(12_000));
        Assert.That(cc.CongestionRecoveryStartTime, Is.EqualTo(300));

        // More losses from before the recovery start do not reduce again.
        cc.OnPacketsLost(second.AsSpan(1..3), 310);
        Assert.That(cc.CongestionWindow, Is.EqualTo(12_000));

        // Acks of packets sent before recovery began do not grow the window.
        cc.OnPacketsAcked(second.AsSpan(3..), 320);
        Assert.That(cc.CongestionWindow, Is.EqualTo(12_000));
        Assert.That(cc.BytesInFlight, Is.Zero);

        // Congestion avoidance: one datagram per window of acknowledged bytes.
        var third = Enumerable.Range(30, 10).Select(i => Packet(i, 400)).ToArray();
        cc.OnPacketsAcked(third.AsSpan(..9), 500);
        Assert.That(cc.CongestionWindow, Is.EqualTo(12_000), "10 800 of 12 000 bytes acknowledged");
        cc.OnPacketsAcked(third.AsSpan(9..), 500);
        Assert.That(cc.CongestionWindow, Is.EqualTo(13_200));
        Assert.That(cc.InSlowStart, Is.False);

        // A loss of a packet sent after recovery began starts a new recovery period.
        cc.OnPacketsLost([Packet(40, 450)], 600);
        Assert.That(cc.CongestionWindow, Is.EqualTo(6_600));
        Assert.That(cc.CongestionRecoveryStartTime, Is.EqualTo(600));
    }

    [Test]
    public void Window_never_drops_below_the_minimum()
    {
        var cc = new NewReno(1200);
        for (int i = 0; i < 10; i++)
        {
            cc.OnPacketsLost([Packet(i, 1000 * i + 1)], 1000 * i + 2);
        }
        Assert.That(cc.CongestionWindow, Is.EqualTo(2400));
        Assert.That(cc.MinimumWindow, Is.EqualTo(2400));
    }

    [Test]
    public void Persistent_congestion_sets_the_minimum_window_and_ends_recovery()
    {
        var cc = new NewReno(1200);
        cc.OnPacketsLost([Packet(0, 10)], 20);
        cc.OnPersistentCongestion(30);
        Assert.That(cc.CongestionWindow, Is.EqualTo(2400));
        Assert.That(cc.CongestionRecoveryStartTime, Is.EqualTo(long.MinValue));
        // Out of recovery: the next ack of an old packet grows the window again (slow start below ssthresh 6000).
        cc.OnPacketsAcked([Packet(1, 5)], 40);
        Assert.That(cc.CongestionWindow, Is.EqualTo(3600));
    }

    [Test]
    public void Application_limited_senders_do_not_grow_the_window()
    {
        var cc = new NewReno(1200) { ApplicationLimited = true };
        cc.OnPacketSent(0, 1200);
        cc.OnPacketsAcked([Packet(0, 0)], 10);
        Assert.That(cc.CongestionWindow, Is.EqualTo(12_000));
        Assert.That(cc.BytesInFlight, Is.Zero);
    }

    [Test]
    public void Non_in_flight_packets_are_ignored()
    {
        var cc = new NewReno(1200);
        var ackOnly = new SentPacket { PacketNumber = 0, SentBytes = 40 };
        cc.OnPacketsAcked([ackOnly], 10);
        cc.OnPacketsLost([ackOnly], 10);
        Assert.That(cc.CongestionWindow, Is.EqualTo(12_000));
        Assert.That(cc.CongestionRecoveryStartTime, Is.EqualTo(long.MinValue));
    }
}
