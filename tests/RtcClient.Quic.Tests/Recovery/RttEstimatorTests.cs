using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Tests.Recovery;

public class RttEstimatorTests
{
    private const long Ms = 1000;

    [Test]
    public void Before_any_sample_uses_the_initial_rtt()
    {
        var rtt = new RttEstimator();
        Assert.That(rtt.SmoothedRtt, Is.EqualTo(333 * Ms));
        Assert.That(rtt.RttVariance, Is.EqualTo(166_500));
        Assert.That(rtt.HasSample, Is.False);
        // PTO base: 333 + 4 * 166.5 ms.
        Assert.That(rtt.PtoBase, Is.EqualTo(999 * Ms));
    }

    [Test]
    public void First_sample_sets_smoothed_to_sample_and_variance_to_half()
    {
        var rtt = new RttEstimator();
        rtt.Update(100 * Ms, ackDelay: 20 * Ms, maxAckDelay: 25 * Ms, handshakeConfirmed: true, now: 5);
        Assert.That(rtt.LatestRtt, Is.EqualTo(100 * Ms));
        Assert.That(rtt.MinRtt, Is.EqualTo(100 * Ms));
        Assert.That(rtt.SmoothedRtt, Is.EqualTo(100 * Ms));
        Assert.That(rtt.RttVariance, Is.EqualTo(50 * Ms));
        Assert.That(rtt.FirstSampleTime, Is.EqualTo(5));
    }

    [Test]
    public void Later_samples_follow_rfc9002_section_5_3_arithmetic()
    {
        var rtt = new RttEstimator();
        rtt.Update(100 * Ms, 0, 25 * Ms, true, 0);
        rtt.Update(120 * Ms, 10 * Ms, 25 * Ms, true, 1);
        // adjusted = 110; rttvar = 3/4*50 + 1/4*|100-110| = 40; srtt = 7/8*100 + 1/8*110 = 101.25.
        Assert.That(rtt.RttVariance, Is.EqualTo(40 * Ms));
        Assert.That(rtt.SmoothedRtt, Is.EqualTo(101_250));
        Assert.That(rtt.MinRtt, Is.EqualTo(100 * Ms));
        Assert.That(rtt.LatestRtt, Is.EqualTo(120 * Ms));
    }

    [Test]
    public void Ack_delay_is_capped_at_max_ack_delay_only_after_handshake_confirmation()
    {
        var confirmed = new RttEstimator();
        confirmed.Update(100 * Ms, 0, 25 * Ms, true, 0);
        confirmed.Update(200 * Ms, 80 * Ms, 25 * Ms, handshakeConfirmed: true, now: 1);
        // adjusted = 200 - 25 = 175 -> srtt = (700 + 175) / 8.
        Assert.That(confirmed.SmoothedRtt, Is.EqualTo(109_375));

        var unconfirmed = new RttEstimator();
        unconfirmed.Update(100 * Ms, 0, 25 * Ms, false, 0);
        unconfirmed.Update(200 * Ms, 80 * Ms, 25 * Ms, handshakeConfirmed: false, now: 1);
        // adjusted = 200 - 80 = 120 -> srtt = (700 + 120) / 8.
        Assert.That(unconfirmed.SmoothedRtt, Is.EqualTo(102_500));
    }

    [Test]
    public void Ack_delay_is_not_subtracted_when_that_would_go_below_min_rtt()
    {
        var rtt = new RttEstimator();
        rtt.Update(100 * Ms, 0, 25 * Ms, true, 0);
        rtt.Update(105 * Ms, 10 * Ms, 25 * Ms, true, 1);
        // 105 < 100 + 10, so the sample is used unadjusted: srtt = (700 + 105) / 8.
        Assert.That(rtt.SmoothedRtt, Is.EqualTo(100_625));
    }

    [Test]
    public void Min_rtt_ignores_ack_delay()
    {
        var rtt = new RttEstimator();
        rtt.Update(100 * Ms, 0, 25 * Ms, true, 0);
        rtt.Update(80 * Ms, 20 * Ms, 25 * Ms, true, 1);
        Assert.That(rtt.MinRtt, Is.EqualTo(80 * Ms));
    }

    [Test]
    public void Pto_base_has_a_floor_of_the_timer_granularity()
    {
        var rtt = new RttEstimator();
        for (int i = 0; i < 200; i++)
        {
            rtt.Update(10 * Ms, 0, 0, true, i);
        }
        Assert.That(rtt.RttVariance, Is.LessThan(RttEstimator.Granularity / 4));
        Assert.That(rtt.PtoBase, Is.EqualTo(rtt.SmoothedRtt + RttEstimator.Granularity));
    }
}
