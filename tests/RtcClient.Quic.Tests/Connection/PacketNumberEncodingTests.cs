using RtcClient.Quic.Tests.Simulation;

namespace RtcClient.Quic.Tests.Connection;

/// <summary>Packet numbers go on the wire in the fewest bytes that decode unambiguously (RFC 9000 section 17.1, appendix A.2).</summary>
public class PacketNumberEncodingTests
{
    [Test]
    public void Packet_numbers_grow_from_one_to_two_bytes_with_the_unacknowledged_range()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        // A long clean path: slow start grows the window past 128 packets in flight. (Decoding under loss and
        // reordering: TransferSimulationTests.One_megabyte_stream_completes_under_loss_reordering_and_delay.)
        var link = new LinkConditions { Delay = 50_000 };
        var net = new SimulatedNetwork(c, s, seed: 51) { ToServer = link, ToClient = link };
        var transfer = new StreamTransfer(net, 2 * 1024 * 1024);
        net.OnStep = transfer.Step;
        Assert.That(net.RunUntil(() => transfer.Finished, 300_000_000), Is.True, $"received {transfer.ReceivedBytes}; server {net.Server.Core?.CloseInfo}");
        var sent = net.ClientCore.Counters;
        TestContext.Out.WriteLine($"client packet numbers: {sent.PacketNumberLength1} x 1 byte, {sent.PacketNumberLength2} x 2, {sent.PacketNumberLength3} x 3, {sent.PacketNumberLength4} x 4");
        Assert.Multiple(() =>
        {
            Assert.That(transfer.HashMatches, Is.True, "the receiver reconstructed every packet number");
            Assert.That(sent.PacketNumberLength1, Is.GreaterThan(0), "while fewer than 128 packets are unacknowledged, 1 byte");
            Assert.That(sent.PacketNumberLength2, Is.GreaterThan(0), "a larger window needs 2 bytes");
            Assert.That(sent.PacketNumberLength3 + sent.PacketNumberLength4, Is.Zero, "never more than the window needs");
            Assert.That(sent.PacketNumberLength1 + sent.PacketNumberLength2, Is.EqualTo(net.ClientCore.GetStatistics().PacketsSent));
        });
    }
}
