using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Tests.Recovery;

public class PacerTests
{
    private const long Ms = 1000;

    [Test]
    public void A_burst_leaves_immediately_then_packets_are_spaced_at_1_25_cwnd_per_rtt()
    {
        var pacer = new Pacer(1200, burstPackets: 10);
        long cwnd = 120_000, srtt = 100 * Ms;
        long now = 0;
        for (int i = 0; i < 10; i++)
        {
            Assert.That(pacer.GetNextSendTime(now, 1200, cwnd, srtt), Is.EqualTo(now), $"burst packet {i}");
            pacer.OnPacketSent(now, 1200, cwnd, srtt);
        }
        // Rate = 1.25 * 120000 B / 100 ms = 1500 B/ms: 1200 B takes 800 us.
        long next = pacer.GetNextSendTime(now, 1200, cwnd, srtt);
        Assert.That(next, Is.EqualTo(800));
        pacer.OnPacketSent(next, 1200, cwnd, srtt);
        Assert.That(pacer.GetNextSendTime(next, 1200, cwnd, srtt), Is.EqualTo(1600));
    }

    [Test]
    public void Sending_over_a_long_run_matches_the_pacing_rate()
    {
        var pacer = new Pacer(1200, burstPackets: 2);
        long cwnd = 60_000, srtt = 50 * Ms;
        long now = 0, sent = 0;
        for (int i = 0; i < 10_000; i++)
        {
            now = pacer.GetNextSendTime(now, 1200, cwnd, srtt);
            pacer.OnPacketSent(now, 1200, cwnd, srtt);
            sent += 1200;
        }
        // 1.25 * cwnd per srtt = 1500 bytes/ms (the first two datagrams were the free burst).
        double bytesPerMs = (double)(sent - 2400) / now * 1000;
        Assert.That(bytesPerMs, Is.EqualTo(1_500).Within(1.0).Percent);
    }

    [Test]
    public void The_bucket_refills_but_never_beyond_the_burst_allowance()
    {
        var pacer = new Pacer(1200, burstPackets: 4);
        long cwnd = 100_000, srtt = 10 * Ms;
        for (int i = 0; i < 4; i++)
        {
            pacer.OnPacketSent(0, 1200, cwnd, srtt);
        }
        Assert.That(pacer.GetNextSendTime(0, 1200, cwnd, srtt), Is.GreaterThan(0));
        // After a long idle time only 4 datagrams' worth is available.
        pacer.GetNextSendTime(10_000 * Ms, 1200, cwnd, srtt);
        Assert.That(pacer.Tokens, Is.EqualTo(4800));
    }

    [Test]
    public void Burst_allowance_is_bounded_by_the_window()
    {
        var pacer = new Pacer(1200, burstPackets: 10);
        Assert.That(pacer.Capacity(2400), Is.EqualTo(2400));
        Assert.That(pacer.Capacity(1_000_000), Is.EqualTo(12_000));
    }

    [Test]
    public void A_burst_interval_sizes_the_bucket_to_that_much_time_at_the_pacing_rate()
    {
        // 1.25 * 1 MB per 10 ms = 125 bytes per us: 2 ms of it is 250 kB, more than 10 datagrams.
        var pacer = new Pacer(1200, burstPackets: 10) { BurstInterval = 2 * Ms };
        long cwnd = 1_000_000, srtt = 10 * Ms;
        Assert.Multiple(() =>
        {
            Assert.That(pacer.Capacity(cwnd, srtt), Is.EqualTo(250_000));
            Assert.That(pacer.Capacity(cwnd, 1000 * Ms), Is.EqualTo(12_000), "slow paths keep the 10-datagram allowance");
            Assert.That(pacer.Capacity(cwnd, 1 * Ms), Is.EqualTo(cwnd), "never more than the window");
            Assert.That(new Pacer(1200, 10).Capacity(cwnd, srtt), Is.EqualTo(12_000), "no interval: the datagram allowance only");
        });
        // A sender woken every 2 ms by its timer still reaches the rate: each wake-up finds a full bucket's worth.
        long now = 0, sent = 0;
        for (int wake = 0; wake < 1000; wake++, now += 2 * Ms)
        {
            while (pacer.GetNextSendTime(now, 1200, cwnd, srtt) == now)
            {
                pacer.OnPacketSent(now, 1200, cwnd, srtt);
                sent += 1200;
            }
        }
        double bytesPerMs = (double)sent / now * Ms;
        Assert.That(bytesPerMs, Is.EqualTo(125_000).Within(2).Percent);
    }
}
