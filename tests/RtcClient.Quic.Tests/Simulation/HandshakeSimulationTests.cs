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
}
