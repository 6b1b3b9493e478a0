using System.Diagnostics;
using RtcClient.Quic.Connection;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tests.Simulation;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Fuzz;

/// <summary>
/// Hostile input at scale: mutated real Initial, Handshake and 1-RTT datagrams (and noise) fed to a
/// server endpoint's sans-IO input. Nothing may escape, live connections and routes stay capped, and
/// the heap does not grow without bound.
/// </summary>
public class EndpointFuzzTests
{
    private const int MaxConnections = 64;

    /// <summary>Client and server datagrams of a real handshake, datagram and stream exchange, plus 1-RTT packets with assorted frames.</summary>
    private static (List<byte[]> Corpus, List<byte[]> ClientFlight, SimulatedNetwork Net) Capture()
    {
        var (c, s) = SimulatedNetwork.DefaultSettings();
        var net = new SimulatedNetwork(c, s);
        var corpus = new List<byte[]>();
        var clientFlight = new List<byte[]>();
        net.Drop = (toServer, _, data) =>
        {
            // Copies: the receiving core decrypts in place.
            corpus.Add((byte[])data.Clone());
            if (toServer) clientFlight.Add((byte[])data.Clone());
            return false;
        };
        Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed && net.Server.HandshakeCompleted, 5_000_000), Is.True);
        net.ClientCore.SendDatagram(new byte[200]);
        long stream = net.ClientCore.OpenStream(bidirectional: true);
        net.ClientCore.StreamWrite(stream, new byte[20_000], fin: true);
        net.RunFor(200_000);
        var buffer = new byte[2048];
        foreach (var frames in FrameSamples())
        {
            int n = net.ClientCore.WriteRawPacket(EncryptionLevel.Application, frames, buffer);
            corpus.Add(buffer[..n]);
        }
        return (corpus, clientFlight, net);
    }

    /// <summary>Well-formed and nearly well-formed frame payloads: the starting points for frame-level mutation.</summary>
    private static List<byte[]> FrameSamples() =>
    [
        Varints(0x01),
        Varints(0x02, 0, 0, 0),
        Varints(0x03, 5, 0, 1, 0, 0, 1, 2, 3),
        Varints(0x04, 0, 0, 0),
        Varints(0x05, 0, 0),
        Varints(0x06, 0, 4, 1, 2, 3, 4),
        Varints(0x08, 4, 1),
        Varints(0x0a, 4, 3, 1, 2, 3),
        Varints(0x0f, 8, 100, 2, 1, 2),
        Varints(0x10, 1 << 20),
        Varints(0x11, 0, 1 << 20),
        Varints(0x12, 10),
        Varints(0x13, 10),
        Varints(0x14, 1 << 20),
        Varints(0x15, 0, 1 << 20),
        Varints(0x16, 10),
        Varints(0x18, 1, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
        Varints(0x19, 0),
        Varints(0x1a, 1, 2, 3, 4, 5, 6, 7, 8),
        Varints(0x1b, 1, 2, 3, 4, 5, 6, 7, 8),
        Varints(0x1c, 0x0a, 0x08, 0),
        Varints(0x1d, 0x100, 0),
        Varints(0x30, 1, 2, 3),
        Varints(0x31, 3, 1, 2, 3),
    ];

    private static byte[] Varints(params long[] values)
    {
        var buffer = new byte[values.Length * 8];
        int n = 0;
        foreach (long v in values)
        {
            VariableLengthInteger.TryWrite(buffer.AsSpan(n), v, out int w);
            n += w;
        }
        return buffer[..n];
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_million_mutated_datagrams_never_escape_and_memory_stays_bounded()
    {
        const int Datagrams = 1_000_000;
        var (corpus, clientFlight, _) = Capture();
        var (_, serverSettings) = SimulatedNetwork.DefaultSettings();
        var server = new FuzzedServerEndpoint(serverSettings, seed: 8, MaxConnections);
        // Replay the client's genuine flight first so mutations also land on a connection with state
        // (its Initial is answered; the later Handshake packets belong to the original server's keys).
        foreach (var datagram in clientFlight) server.Receive(datagram.AsSpan().ToArray());
        Assert.That(server.LiveConnections, Is.EqualTo(1), "the genuine Initial creates a connection");
        Assert.That(server.DatagramsSent, Is.GreaterThan(0), "the server answers the genuine Initial");
        TestContext.Out.WriteLine($"replayed {clientFlight.Count} client datagrams: server sent {server.DatagramsSent}, state {server.Connections[0].State}, handshake confirmed {server.Connections[0].IsHandshakeConfirmed}");

        GC.Collect();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var mutator = new DatagramMutator(seed: 20261125, corpus);
        var buffer = new byte[4096];
        int maxLive = 0, maxRoutes = 0;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Datagrams; i++)
        {
            int length = mutator.Next(buffer);
            server.Receive(buffer.AsSpan(0, length));
            if (i % 1000 == 999)
            {
                // 0.5 s of virtual time per 1000 datagrams: handshake timeouts reclaim abandoned connections.
                server.Advance(500_000);
                maxLive = Math.Max(maxLive, server.LiveConnections);
                maxRoutes = Math.Max(maxRoutes, server.Endpoint.RouteCount);
            }
        }
        watch.Stop();
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        TestContext.Out.WriteLine($"{Datagrams} datagrams in {watch.Elapsed.TotalSeconds:F1} s; connections created {server.ConnectionsCreated}, refused at the cap {server.ConnectionsRefused}, max live {maxLive}, max routes {maxRoutes}, datagrams sent {server.DatagramsSent}, endpoint responses {server.ResponsesSent}, Initials rejected {server.Endpoint.InitialsRejected}, heap {heapBefore / 1024} KB -> {heapAfter / 1024} KB");
        Assert.Multiple(() =>
        {
            Assert.That(maxLive, Is.LessThanOrEqualTo(MaxConnections));
            // The core turns any exception into INTERNAL_ERROR; hostile input must never get there.
            Assert.That(server.InternalErrors, Is.Empty, "connections closed with INTERNAL_ERROR");
            Assert.That(maxRoutes, Is.LessThanOrEqualTo(MaxConnections * 16), "routes per connection are bounded by the connection ID limits");
            Assert.That(heapAfter - heapBefore, Is.LessThan(64L * 1024 * 1024), "heap growth after a million hostile datagrams");
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public void Mutated_frames_in_authenticated_packets_close_with_a_transport_error_or_are_accepted()
    {
        // AEAD rejects almost every mutated packet above; here the client core seals mutated frame
        // payloads so the server's frame parsing and state machine see them.
        const int Packets = 3_000;
        var samples = FrameSamples();
        var random = new Random(77);
        var buffer = new byte[2048];
        var frames = new byte[512];
        int closes = 0, established = 0;
        var codes = new SortedDictionary<long, int>();
        SimulatedNetwork? net = null;
        for (int i = 0; i < Packets; i++)
        {
            if (net is null || net.ServerCore.State != ConnectionState.Open || net.ClientCore.State != ConnectionState.Open)
            {
                if (net?.ServerCore.CloseInfo is { ByPeer: false } info)
                {
                    closes++;
                    codes[info.ErrorCode] = codes.GetValueOrDefault(info.ErrorCode) + 1;
                    Assert.That(info.IsApplication, Is.False, "the server closes hostile frames with a transport error");
                    Assert.That(info.ErrorCode, Is.Not.EqualTo((long)TransportErrorCode.InternalError), info.Reason);
                }
                var (c, s) = SimulatedNetwork.DefaultSettings();
                net = new SimulatedNetwork(c, s, seed: i + 1);
                Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed && net.Server.HandshakeCompleted, 5_000_000), Is.True);
                established++;
            }
            int length = MutateFrames(random, samples, frames);
            int n = net.ClientCore.WriteRawPacket(EncryptionLevel.Application, frames.AsSpan(0, length), buffer);
            net.ServerCore.ReceiveDatagram(buffer.AsSpan(0, n), net.Now);
            if (i % 50 == 49) net.RunFor(10_000);
        }
        TestContext.Out.WriteLine($"{Packets} packets, {established} connections, {closes} closed by the server; error codes: {string.Join(", ", codes.Select(kv => $"0x{kv.Key:x}×{kv.Value}"))}");
        Assert.That(closes, Is.GreaterThan(0), "some mutations must be protocol errors");
    }

    private static int MutateFrames(Random random, List<byte[]> samples, Span<byte> frames)
    {
        int length = 0;
        int count = 1 + random.Next(3);
        for (int f = 0; f < count; f++)
        {
            var sample = samples[random.Next(samples.Count)];
            if (length + sample.Length > frames.Length) break;
            sample.CopyTo(frames[length..]);
            length += sample.Length;
        }
        for (int m = random.Next(4); m > 0 && length > 0; m--)
        {
            switch (random.Next(4))
            {
                case 0: frames[random.Next(length)] ^= (byte)(1 << random.Next(8)); break;
                case 1: frames[random.Next(length)] = (byte)random.Next(256); break;
                case 2: length = 1 + random.Next(length); break;
                default: frames[random.Next(length)] |= 0xC0; break;
            }
        }
        return length;
    }
}
