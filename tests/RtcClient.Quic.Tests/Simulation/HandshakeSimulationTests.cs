using RtcClient.Quic.Connection;

namespace RtcClient.Quic.Tests.Simulation;

public class HandshakeSimulationTests
{
    [Test]
    public void Handshake_completes_on_a_clean_link()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s);
        bool done = net.RunUntil(() => net.Client.HandshakeCompleted && net.Server.HandshakeCompleted && net.ClientCore.IsHandshakeConfirmed, 5_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(done, Is.True, $"client {net.ClientCore.State} {net.ClientCore.CloseInfo}, server {net.Server.Core?.State} {net.Server.Core?.CloseInfo}");
            Assert.That(net.ClientCore.NegotiatedApplicationProtocol, Is.EqualTo("test"));
            Assert.That(net.ServerCore.IsHandshakeConfirmed, Is.True);
            Assert.That(net.ClientCore.State, Is.EqualTo(ConnectionState.Open));
        });
    }

    private static bool Completed(SimulatedNetwork net)
        => net.Client.HandshakeCompleted && net.Server.HandshakeCompleted && net.ClientCore.IsHandshakeConfirmed;

    private static (int ToServer, int ToClient) CountHandshakeDatagrams()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s);
        Assert.That(net.RunUntil(() => Completed(net), 5_000_000), Is.True);
        // Let the last ACKs and HANDSHAKE_DONE go out too.
        net.RunFor(100_000);
        return (net.SentToServer, net.SentToClient);
    }

    [Test]
    public void Handshake_completes_when_any_one_datagram_is_lost([Values] bool toServer)
    {
        var (clientCount, serverCount) = CountHandshakeDatagrams();
        int count = toServer ? clientCount : serverCount;
        Assert.That(count, Is.GreaterThanOrEqualTo(2));
        for (int position = 0; position < count; position++)
        {
            var (c, s) = SimulatedNetwork.DefaultSettings();
            var net = new SimulatedNetwork(c, s) { Drop = (dir, index, _) => dir == toServer && index == position };
            bool done = net.RunUntil(() => Completed(net), 20_000_000);
            Assert.That(done, Is.True, $"dropping datagram {position} {(toServer ? "to the server" : "to the client")}: client {net.ClientCore.CloseInfo} server {net.Server.Core?.CloseInfo}");
        }
    }

    [Test]
    public void Idle_timeout_closes_both_sides_at_the_negotiated_time()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings(
            client: c => new ConnectionSettings { ClientTls = c.ClientTls, IdleTimeout = TimeSpan.FromSeconds(5) },
            server: s => new ConnectionSettings { ServerTls = s.ServerTls, IdleTimeout = TimeSpan.FromSeconds(8) });
        var net = new SimulatedNetwork(c, s);
        Assert.That(net.RunUntil(() => Completed(net), 5_000_000), Is.True);
        net.RunFor(200_000); // the last ACKs settle
        long quiet = net.Now;
        net.RunUntil(() => net.Client.TerminatedTime is not null && net.Server.TerminatedTime is not null, 30_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(net.Client.Closing?.Kind, Is.EqualTo(CloseKind.IdleTimeout));
            Assert.That(net.Server.Closing?.Kind, Is.EqualTo(CloseKind.IdleTimeout));
            // min(5 s, 8 s) = 5 s after the last activity, which was at most 200 ms before "quiet".
            Assert.That(net.Client.ClosingTime!.Value - quiet, Is.InRange(4_700_000, 5_100_000));
            Assert.That(net.Server.ClosingTime!.Value - quiet, Is.InRange(4_700_000, 5_100_000));
        });
    }

    [Test]
    public void Application_close_reaches_the_peer_then_draining_then_silence()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s);
        Assert.That(net.RunUntil(() => Completed(net), 5_000_000), Is.True);
        net.RunFor(100_000);
        net.ClientCore.Close(0x42, "bye", net.Now);
        int serverSentBefore = net.SentToClient;
        Assert.That(net.RunUntil(() => net.Server.Closing is not null, 1_000_000), Is.True);
        int serverSentAtClose = net.SentToClient;
        // Keep poking the draining server with client packets: it must stay silent.
        net.RunUntil(() => net.Client.TerminatedTime is not null && net.Server.TerminatedTime is not null, 10_000_000);
        Assert.Multiple(() =>
        {
            var info = net.Server.Closing!;
            Assert.That(info.ByPeer, Is.True);
            Assert.That(info.IsApplication, Is.True);
            Assert.That(info.ErrorCode, Is.EqualTo(0x42));
            Assert.That(info.Reason, Is.EqualTo("bye"));
            Assert.That(net.ServerCore.State, Is.EqualTo(ConnectionState.Closed));
            Assert.That(net.ClientCore.State, Is.EqualTo(ConnectionState.Closed));
            Assert.That(serverSentAtClose, Is.EqualTo(serverSentBefore), "a draining server sends nothing");
            Assert.That(net.SentToClient, Is.EqualTo(serverSentBefore), "nor later");
            Assert.That(net.Server.TerminatedTime!.Value, Is.GreaterThan(net.Server.ClosingTime!.Value), "draining lasts a while");
            Assert.That(net.Client.DatagramsSentAfterTermination + net.Server.DatagramsSentAfterTermination, Is.Zero);
        });
    }
}
