using RtcClient.Quic.Connection;

namespace RtcClient.Quic.Tests.Connection;

public class PathMtuDiscoveryTests
{
    /// <summary>Runs the search against a path carrying at most <paramref name="pathMtu"/> bytes; returns the probes sent.</summary>
    private static int Search(PathMtuDiscovery search, int pathMtu)
    {
        int probes = 0;
        for (long now = 0; probes < 200; now += 1000)
        {
            int size = search.GetProbeSize(now);
            if (size == 0) break;
            search.OnProbeSent(size);
            probes++;
            if (size <= pathMtu) search.OnProbeAcked(size, now);
            else search.OnProbeLost(size, now);
        }
        return probes;
    }

    [TestCase(8192, 8192)]
    [TestCase(8192, 1400)]
    [TestCase(1500, 1472)]
    [TestCase(8192, 1200)]
    [TestCase(65527, 9000)]
    public void Converges_to_the_path_mtu_within_the_precision(int max, int pathMtu)
    {
        // The largest size first, then halving down to the precision; a size fails after MAX_PROBES losses.
        int halvings = (int)Math.Ceiling(Math.Log2((double)(max - PathMtuDiscovery.BasePlpmtu) / PathMtuDiscovery.SearchPrecision));
        int bound = max == pathMtu ? 1 : PathMtuDiscovery.MaxProbes * (halvings + 1);
        var search = new PathMtuDiscovery(max);
        int probes = Search(search, pathMtu);
        Assert.Multiple(() =>
        {
            Assert.That(search.Plpmtu, Is.InRange(Math.Max(PathMtuDiscovery.BasePlpmtu, pathMtu - PathMtuDiscovery.SearchPrecision + 1), pathMtu));
            Assert.That(search.IsSearching, Is.False);
            Assert.That(probes, Is.InRange(1, bound));
            Assert.That(search.GetProbeSize(1_000_000), Is.Zero, "nothing more to try until the raise timer");
        });
    }

    [Test]
    public void Starts_at_1200_and_probes_nothing_when_the_maximum_is_1200()
    {
        var search = new PathMtuDiscovery();
        Assert.Multiple(() =>
        {
            Assert.That(search.Plpmtu, Is.EqualTo(1200));
            Assert.That(search.GetProbeSize(0), Is.Zero);
        });
        search.SetMaxPlpmtu(1100);
        Assert.That(search.MaxPlpmtu, Is.EqualTo(1200), "never below the QUIC minimum");
    }

    [Test]
    public void One_probe_at_a_time()
    {
        var search = new PathMtuDiscovery(8192);
        int size = search.GetProbeSize(0);
        search.OnProbeSent(size);
        Assert.That(search.GetProbeSize(0), Is.Zero);
        search.OnProbeLost(size, 0);
        Assert.That(search.GetProbeSize(0), Is.EqualTo(size), "a lost probe is retried up to MAX_PROBES times");
    }

    [Test]
    public void After_a_search_ending_below_the_maximum_the_raise_timer_probes_again()
    {
        var search = new PathMtuDiscovery(8192);
        Search(search, 1400);
        Assert.That(search.GetProbeSize(PathMtuDiscovery.RaiseInterval / 2), Is.Zero);
        int later = search.GetProbeSize(PathMtuDiscovery.RaiseInterval + 200_000);
        Assert.That(later, Is.EqualTo(8192), "the path may have grown");
    }

    [Test]
    public void Large_packets_lost_while_small_ones_arrive_fall_back_to_the_base_size()
    {
        var search = new PathMtuDiscovery(8192);
        Search(search, 8192);
        Assert.That(search.Plpmtu, Is.EqualTo(8192));
        // Random loss of large packets with large ones acknowledged in between is no black hole.
        for (int i = 0; i < 10; i++)
        {
            Assert.That(search.OnPacketLost(8192), Is.False);
            Assert.That(search.OnPacketAcked(1200), Is.False);
            Assert.That(search.OnPacketAcked(8192), Is.False);
        }
        // Nor is a burst of large losses with nothing small getting through (congestion).
        for (int i = 0; i < 10; i++) Assert.That(search.OnPacketLost(8192), Is.False);
        Assert.That(search.OnPacketAcked(8192), Is.False);
        Assert.That(search.Plpmtu, Is.EqualTo(8192));
        // Large ones lost while a small one (a PTO probe) is acknowledged: the path shrank.
        for (int i = 0; i < PathMtuDiscovery.BlackHoleThreshold; i++) search.OnPacketLost(8192);
        Assert.That(search.OnPacketAcked(1200), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(search.Plpmtu, Is.EqualTo(PathMtuDiscovery.BasePlpmtu));
            Assert.That(search.BlackHoles, Is.EqualTo(1));
            Assert.That(search.IsSearching, Is.True, "and the search starts over");
        });
    }
}
