using RtcClient.Quic.Connection;
using RtcClient.Quic.Tests.Simulation;

namespace RtcClient.Quic.Tests.Connection;

/// <summary>
/// The connection's whole per-packet path allocates nothing once warm: frames written by FrameWriter, packet
/// protection, loss recording and ACK processing on the sender; unprotection, frame parsing, stream
/// reassembly and ACK generation on the receiver; pacing and path MTU bookkeeping on both.
/// </summary>
public class SteadyStateAllocationTests
{
    [Test]
    public void A_stream_transfer_allocates_nothing_per_packet_once_warm()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings(client: c => c with { MaxDatagramSize = 1452 }, server: s => s with { MaxDatagramSize = 1452 });
        var net = new SimulatedNetwork(c, s, seed: 61);
        Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed && net.Server.HandshakeCompleted, 5_000_000), Is.True);
        var client = net.ClientCore;
        var server = net.ServerCore;
        long stream = client.OpenStream(bidirectional: false);
        var chunk = new byte[16 * 1024];
        var read = new byte[64 * 1024];
        var toServer = new byte[65536];
        var toClient = new byte[65536];
        long now = net.Now;
        int packets = 0;

        void Step()
        {
            client.StreamWrite(stream, chunk, fin: false);
            int n = client.WriteDatagram(toServer, now);
            if (n > 0)
            {
                packets++;
                server.ReceiveDatagram(toServer.AsSpan(0, n), now);
            }
            while (server.StreamRead(stream, read, out int got, out _) == QuicConnectionCore.ReadStatus.Data && got > 0)
            {
            }
            int m;
            while ((m = server.WriteDatagram(toClient, now)) > 0) client.ReceiveDatagram(toClient.AsSpan(0, m), now);
            now += 50; // 50 us per step: the pacer and the delayed-ACK timer both come into play
            if (client.NextTimeout <= now) client.OnTimeout(now);
            if (server.NextTimeout <= now) server.OnTimeout(now);
        }

        for (int i = 0; i < 4_000; i++) Step(); // rings, pools and tables reach their working size
        int before = packets;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 4_000; i++) Step();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        int measured = packets - before;
        TestContext.Out.WriteLine($"{measured} packets, {allocated} bytes allocated; client {client.GetStatistics()}");
        Assert.Multiple(() =>
        {
            Assert.That(measured, Is.GreaterThan(3_000), "the transfer kept running");
            Assert.That(client.MaxDatagramSize, Is.EqualTo(1452), "path MTU discovery ran");
            Assert.That(allocated, Is.Zero, "bytes allocated over the measured packets");
        });
    }
}
