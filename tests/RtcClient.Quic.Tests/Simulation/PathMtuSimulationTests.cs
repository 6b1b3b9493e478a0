using RtcClient.Quic.Connection;
using RtcClient.Quic.Recovery;

namespace RtcClient.Quic.Tests.Simulation;

/// <summary>DPLPMTUD (RFC 9000 section 14.3, RFC 8899) over simulated paths with a size limit.</summary>
public class PathMtuSimulationTests
{
    private const int LocalLimit = 8192;

    private static SimulatedNetwork Network(int seed)
    {
        var (c, s) = SimulatedNetwork.DefaultSettings(
            client: c => c with { MaxDatagramSize = LocalLimit },
            server: s => s with { MaxDatagramSize = LocalLimit });
        return new SimulatedNetwork(c, s, seed);
    }

    [Test]
    public void A_path_that_drops_datagrams_above_1400_bytes_is_found_and_keeps_working()
    {
        const int PathLimit = 1400;
        var net = Network(seed: 31);
        int dropped = 0, largestDelivered = 0;
        net.Drop = (_, _, data) =>
        {
            if (data.Length > PathLimit)
            {
                dropped++;
                return true;
            }
            largestDelivered = Math.Max(largestDelivered, data.Length);
            return false;
        };
        var transfer = new StreamTransfer(net, 1024 * 1024);
        net.OnStep = transfer.Step;
        Assert.That(net.RunUntil(() => transfer.Finished, 120_000_000), Is.True, $"received {transfer.ReceivedBytes}; client {net.ClientCore.CloseInfo}");
        net.OnStep = null;
        net.RunFor(2_000_000); // the last probes are declared lost
        var client = net.ClientCore;
        var server = net.ServerCore;
        var stats = client.GetStatistics();
        TestContext.Out.WriteLine($"client: size {client.MaxDatagramSize}, probes {client.PathMtu.ProbesSent} sent / {client.PathMtu.ProbesLost} lost; server: size {server.MaxDatagramSize}, probes {server.PathMtu.ProbesSent} / {server.PathMtu.ProbesLost}; dropped {dropped}; {stats}");
        Assert.Multiple(() =>
        {
            Assert.That(transfer.HashMatches, Is.True);
            Assert.That(client.MaxDatagramSize, Is.InRange(PathLimit - PathMtuDiscovery.SearchPrecision + 1, PathLimit), "the client converged to the path MTU");
            Assert.That(server.MaxDatagramSize, Is.InRange(PathLimit - PathMtuDiscovery.SearchPrecision + 1, PathLimit), "the server converged too");
            Assert.That(largestDelivered, Is.EqualTo(client.MaxDatagramSize), "data then fills datagrams of the size found");
            Assert.That(client.PathMtu.IsSearching, Is.False);
            Assert.That(dropped, Is.EqualTo(client.PathMtu.ProbesLost + server.PathMtu.ProbesLost), "only probes were too large");
            Assert.That(stats.PacketsLost, Is.EqualTo(client.PathMtu.ProbesLost), "no data packet was lost");
            Assert.That(((NewReno)client.CongestionController).SlowStartThreshold, Is.EqualTo(long.MaxValue), "lost probes are no congestion signal");
            Assert.That(client.State, Is.EqualTo(ConnectionState.Open));
        });
    }

    [Test]
    public void An_open_path_reaches_the_local_limit_with_one_probe()
    {
        var net = Network(seed: 32);
        int largest = 0;
        net.Drop = (toServer, _, data) =>
        {
            if (toServer) largest = Math.Max(largest, data.Length);
            return false;
        };
        var transfer = new StreamTransfer(net, 512 * 1024);
        net.OnStep = transfer.Step;
        Assert.That(net.RunUntil(() => transfer.Finished, 60_000_000), Is.True);
        var client = net.ClientCore;
        Assert.Multiple(() =>
        {
            Assert.That(client.MaxDatagramSize, Is.EqualTo(LocalLimit));
            Assert.That(client.GetStatistics().MaxDatagramSize, Is.EqualTo(LocalLimit));
            Assert.That(client.PathMtu.ProbesSent, Is.EqualTo(1));
            Assert.That(client.PathMtu.ProbesLost, Is.Zero);
            Assert.That(largest, Is.EqualTo(LocalLimit));
            Assert.That(transfer.HashMatches, Is.True);
        });
    }

    [Test]
    public void Without_a_larger_local_limit_no_probe_is_sent()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s, seed: 33);
        int largest = 0;
        net.Drop = (_, _, data) =>
        {
            largest = Math.Max(largest, data.Length);
            return false;
        };
        var transfer = new StreamTransfer(net, 256 * 1024);
        net.OnStep = transfer.Step;
        Assert.That(net.RunUntil(() => transfer.Finished, 60_000_000), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(net.ClientCore.PathMtu.ProbesSent, Is.Zero);
            Assert.That(net.ClientCore.MaxDatagramSize, Is.EqualTo(PathMtuDiscovery.BasePlpmtu));
            Assert.That(largest, Is.EqualTo(PathMtuDiscovery.BasePlpmtu));
        });
    }

    [Test]
    public void A_path_that_shrinks_mid_transfer_is_detected_as_a_black_hole_and_searched_again()
    {
        const int NarrowLimit = 1400;
        var net = Network(seed: 34);
        bool narrow = false;
        net.Drop = (_, _, data) => narrow && data.Length > NarrowLimit;
        var transfer = new StreamTransfer(net, 3 * 1024 * 1024);
        net.OnStep = () =>
        {
            transfer.Step();
            // The route changes once the transfer runs at the local limit.
            if (!narrow && transfer.ReceivedBytes > 512 * 1024) narrow = true;
        };
        Assert.That(net.RunUntil(() => narrow, 60_000_000), Is.True);
        Assert.That(net.ClientCore.MaxDatagramSize, Is.EqualTo(LocalLimit), "before the change, the whole local limit");
        Assert.That(net.RunUntil(() => transfer.Finished, 300_000_000), Is.True, $"received {transfer.ReceivedBytes}; client {net.ClientCore.CloseInfo}");
        var client = net.ClientCore;
        // The new search goes on, on an idle connection too (each lost probe is found by the loss timers).
        Assert.That(net.RunUntil(() => !client.PathMtu.IsSearching, 60_000_000), Is.True, "the search ends");
        TestContext.Out.WriteLine($"client: size {client.MaxDatagramSize}, black holes {client.PathMtu.BlackHoles}, probes {client.PathMtu.ProbesSent} / {client.PathMtu.ProbesLost}; {client.GetStatistics()}");
        Assert.Multiple(() =>
        {
            Assert.That(transfer.HashMatches, Is.True);
            Assert.That(client.PathMtu.BlackHoles, Is.GreaterThanOrEqualTo(1));
            Assert.That(client.MaxDatagramSize, Is.InRange(NarrowLimit - PathMtuDiscovery.SearchPrecision + 1, NarrowLimit));
            Assert.That(client.State, Is.EqualTo(ConnectionState.Open));
        });
    }
}
