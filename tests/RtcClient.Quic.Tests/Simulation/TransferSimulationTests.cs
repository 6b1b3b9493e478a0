using RtcClient.Quic.Connection;

namespace RtcClient.Quic.Tests.Simulation;

public class TransferSimulationTests
{
    private static readonly LinkConditions Hostile = new() { Delay = 50_000, LossRate = 0.10, ReorderRate = 0.10, ReorderDelay = 20_000 };

    [Test]
    public void One_megabyte_stream_completes_under_loss_reordering_and_delay()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s, seed: 11) { ToServer = Hostile, ToClient = Hostile };
        var transfer = new StreamTransfer(net, 1024 * 1024);
        net.OnStep = transfer.Step;
        long start = net.Now;
        bool done = net.RunUntil(() => transfer.Finished, timeout: 300_000_000);
        TestContext.Out.WriteLine($"1 MB in {(net.Now - start) / 1000} ms virtual; client {net.ClientCore.GetStatistics()}");
        Assert.Multiple(() =>
        {
            Assert.That(done, Is.True, $"received {transfer.ReceivedBytes}; client {net.ClientCore.State} {net.ClientCore.CloseInfo}; server {net.Server.Core?.CloseInfo}");
            Assert.That(transfer.HashMatches, Is.True);
            Assert.That(net.ClientCore.GetStatistics().PacketsLost, Is.GreaterThan(0));
        });
    }

    [Test]
    public void Datagrams_arrive_once_each_under_loss_reordering_and_delay()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s, seed: 12) { ToServer = Hostile, ToClient = Hostile };
        Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed, 10_000_000), Is.True);
        int sent = 0;
        var results = new List<DatagramSendResult>();
        // 1000 datagrams, 10 per millisecond of virtual time.
        long next = net.Now;
        net.OnStep = () =>
        {
            while (sent < 1000 && net.Now >= next)
            {
                var payload = new byte[100];
                BitConverter.TryWriteBytes(payload, sent);
                results.Add(net.ClientCore.SendDatagram(payload));
                sent++;
                if (sent % 10 == 0) next += 1000;
            }
        };
        net.RunFor(3_000_000);
        TestContext.Out.WriteLine($"{net.Server.Datagrams.Count} datagrams arrived; client {net.ClientCore.GetStatistics()}");
        var indices = net.Server.Datagrams.Select(d => BitConverter.ToInt32(d)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.EqualTo(1000));
            Assert.That(results.Count(r => r == DatagramSendResult.Queued), Is.EqualTo(1000));
            Assert.That(indices, Is.Unique, "no datagram is delivered twice");
            Assert.That(indices.Count, Is.GreaterThan(700).And.LessThanOrEqualTo(1000));
            Assert.That(net.Server.Datagrams.All(d => d.Length == 100), Is.True);
        });
    }

    [Test]
    public void Flow_control_holds_against_tiny_windows()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings(server: s => new ConnectionSettings
        {
            ServerTls = s.ServerTls, InitialMaxStreamData = 1024, InitialMaxData = 4096,
        });
        var net = new SimulatedNetwork(c, s, seed: 13) { ToServer = new() { Delay = 5_000 }, ToClient = new() { Delay = 5_000 } };
        var transfer = new StreamTransfer(net, 200 * 1024);
        net.OnStep = transfer.Step;
        bool done = net.RunUntil(() => transfer.Finished, timeout: 120_000_000);
        Assert.Multiple(() =>
        {
            // A violation would have closed the connection with FLOW_CONTROL_ERROR.
            Assert.That(done, Is.True, $"received {transfer.ReceivedBytes}; server {net.Server.Core?.CloseInfo}; client {net.ClientCore.CloseInfo}");
            Assert.That(transfer.HashMatches, Is.True);
            Assert.That(net.ServerCore.State, Is.EqualTo(ConnectionState.Open));
            Assert.That(net.ClientCore.State, Is.EqualTo(ConnectionState.Open));
        });
    }

    [Test]
    public void Key_update_in_both_directions_mid_transfer()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s, seed: 14) { ToServer = new() { Delay = 20_000, LossRate = 0.02 }, ToClient = new() { Delay = 20_000, LossRate = 0.02 } };
        var transfer = new StreamTransfer(net, 1024 * 1024);
        bool clientUpdated = false, serverUpdated = false;
        net.OnStep = () =>
        {
            transfer.Step();
            if (!clientUpdated && transfer.ReceivedBytes > 200_000) clientUpdated = net.ClientCore.InitiateKeyUpdate();
            if (clientUpdated && !serverUpdated && transfer.ReceivedBytes > 600_000) serverUpdated = net.ServerCore.InitiateKeyUpdate();
        };
        bool done = net.RunUntil(() => transfer.Finished, timeout: 120_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(done, Is.True, $"received {transfer.ReceivedBytes}; server {net.Server.Core?.CloseInfo}; client {net.ClientCore.CloseInfo}");
            Assert.That(transfer.HashMatches, Is.True);
            Assert.That(clientUpdated && serverUpdated, Is.True);
            Assert.That(net.ClientCore.KeyUpdates, Is.EqualTo(2));
            Assert.That(net.ServerCore.KeyUpdates, Is.EqualTo(2));
            Assert.That(net.ClientCore.KeyPhase, Is.EqualTo(0), "two updates bring the phase bit back to 0");
        });
    }
}
