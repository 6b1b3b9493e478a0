using RtcClient.Quic.Connection;

namespace RtcClient.Quic.Tests.Simulation;

/// <summary>The connection paces what the congestion window allows (RFC 9002 section 7.7).</summary>
public class PacingSimulationTests
{
    private const long Ms = 1000;

    /// <summary>
    /// A window grown by a first transfer, then an idle moment, then the application hands over 1 MB at
    /// once: without pacing the whole window would leave at that instant. Before the first ACK comes back
    /// (half an RTT), what leaves must follow the bucket plus 1.25 * cwnd / smoothed_rtt.
    /// </summary>
    [Test]
    public void A_large_burst_is_spread_over_the_round_trip_at_the_pacing_rate()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var link = new LinkConditions { Delay = 50 * Ms };
        var net = new SimulatedNetwork(c, s, seed: 21) { ToServer = link, ToClient = link };
        var warmup = new StreamTransfer(net, 600_000, seed: 1);
        net.OnStep = warmup.Step;
        Assert.That(net.RunUntil(() => warmup.Finished, 60_000_000), Is.True);
        net.OnStep = null;
        net.RunFor(1_000_000); // everything acknowledged; the window stays

        var client = net.ClientCore;
        var before = client.GetStatistics();
        long cwnd = before.CongestionWindow;
        long srtt = (long)before.SmoothedRtt.TotalMicroseconds;
        Assert.Multiple(() =>
        {
            Assert.That(before.BytesInFlight, Is.Zero);
            Assert.That(cwnd, Is.GreaterThan(150_000), "slow start grew the window well past its burst allowance");
        });

        var sends = new List<(long Time, int Bytes)>();
        net.Drop = (toServer, _, data) =>
        {
            if (toServer) sends.Add((net.Now, data.Length));
            return false;
        };
        long t0 = net.Now;
        long pacedWakeups = 0;
        var burst = new StreamTransfer(net, 1024 * 1024, seed: 2);
        net.OnStep = () =>
        {
            burst.Step();
            if (client.PacingReleaseTime != long.MaxValue && client.NextTimeout == client.PacingReleaseTime) pacedWakeups++;
        };
        long half = srtt / 2;
        net.RunFor(half);

        // Capacity of the bucket: 10 datagrams, or 2 ms at the pacing rate (the driver's timer granularity).
        double rate = 1.25 * cwnd / srtt; // bytes per microsecond
        long capacity = Math.Max(10 * 1200, (long)(rate * 2 * Ms));
        long firstMs = sends.Where(x => x.Time < t0 + Ms).Sum(x => x.Bytes);
        long inHalfRtt = sends.Where(x => x.Time < t0 + half).Sum(x => x.Bytes);
        double expected = capacity + rate * half;
        int instants = sends.Select(x => x.Time).Distinct().Count();
        TestContext.Out.WriteLine($"cwnd {cwnd} B, srtt {srtt / 1000.0:F1} ms, rate {rate * 1000:F0} B/ms; first ms {firstMs} B (bucket {capacity}); first half RTT {inHalfRtt} B (expected {expected:F0}) in {sends.Count} datagrams at {instants} instants; paced wake-ups {pacedWakeups}");
        Assert.Multiple(() =>
        {
            Assert.That(firstMs, Is.LessThanOrEqualTo(capacity + rate * Ms + 1200), "the first millisecond carries the bucket and 1 ms at the rate, not the window");
            Assert.That(inHalfRtt, Is.EqualTo(expected).Within(10).Percent, "half an RTT carries the bucket plus 1.25 * cwnd / srtt of it");
            Assert.That(inHalfRtt, Is.LessThan(cwnd), "no window-sized burst");
            Assert.That(instants, Is.GreaterThan(20), "datagrams leave at many moments, not in one burst");
            Assert.That(pacedWakeups, Is.GreaterThan(0), "the pacer's release time is the connection's next timeout");
        });

        net.RunUntil(() => burst.Finished, 60_000_000);
        Assert.That(burst.HashMatches, Is.True, "the paced transfer completes intact");
    }

    /// <summary>
    /// An audio-like flow (a 200-byte datagram every 20 ms) never fills the window: the connection is
    /// application-limited, so the window must not grow on its acknowledgments (RFC 9002 section 7.8).
    /// Without that rule it would grow without bound and a later burst could leave at any rate.
    /// </summary>
    [Test]
    public void An_application_limited_flow_does_not_grow_the_window()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var link = new LinkConditions { Delay = 25 * Ms };
        var net = new SimulatedNetwork(c, s, seed: 5) { ToServer = link, ToClient = link };
        Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed, 10_000_000), Is.True);
        net.RunFor(1_000_000);
        long initial = net.ClientCore.GetStatistics().CongestionWindow;

        int sent = 0;
        long next = net.Now;
        net.OnStep = () =>
        {
            while (sent < 500 && net.Now >= next)
            {
                Assert.That(net.ClientCore.SendDatagram(new byte[200]), Is.EqualTo(DatagramSendResult.Queued));
                sent++;
                next += 20 * Ms;
            }
        };
        net.RunFor(11_000_000);
        var after = net.ClientCore.GetStatistics();
        TestContext.Out.WriteLine($"window {initial} B before, {after.CongestionWindow} B after {sent} datagrams; {net.Server.Datagrams.Count} arrived");
        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.EqualTo(500));
            Assert.That(net.Server.Datagrams, Has.Count.EqualTo(500));
            Assert.That(after.CongestionWindow, Is.LessThanOrEqualTo(initial + 2 * 1200), "10 s of a flow far below the window left the window where it was");
        });
    }
}
