using System.Net;
using System.Net.Sockets;
using RtcClient.Quic.Tests.Endpoint;

namespace RtcClient.Quic.Tests.Api;

/// <summary>
/// The real listener under a flood of forged Initials on loopback: garbage and Initials that do not decrypt
/// or parse create no state at all; validly protected ClientHellos (anyone can make them: Initial keys are
/// public) create at most MaxHandshakesInProgress handshakes, the oldest unvalidated ones making room; and a
/// real client still connects.
/// </summary>
[CancelAfter(90_000)]
public class ForgedInitialFloodTests
{
    private const int HandshakeLimit = 32;
    private const int ForgedClientHellos = 200;
    private const int GarbagePerKind = 800;

    [Test]
    public async Task A_flood_of_forged_Initials_holds_bounded_state_while_a_real_client_connects(CancellationToken ct)
    {
        await using var listener = await LoopbackPair.ListenAsync(ct, configure: o => o.MaxHandshakesInProgress = HandshakeLimit);
        using var flooder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        flooder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = listener.LocalEndPoint;
        var random = new Random(2026);
        var genuine = InitialPackets.Genuine(seed: 1);
        var clientHello = InitialPackets.OpenFrames(genuine);
        // Replayed with the genuine Source Connection ID, the ClientHello's transport parameters check out:
        // the server answers each copy with its whole first flight, the most a forger can make it do.
        var clientId = InitialPackets.SourceConnectionId(genuine);

        int maxConnections = 0, maxHandshaking = 0;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                maxConnections = Math.Max(maxConnections, listener.ConnectionCount);
                maxHandshaking = Math.Max(maxHandshaking, listener.HandshakesInProgress);
                try
                {
                    await Task.Delay(2, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, ct);

        long heapBefore = Heap(), heapAtLimit = 0;

        // Phase 1: validly protected ClientHellos from one address that never answers. Each one that
        // arrives starts a handshake; the table stays at its limit by evicting the oldest.
        for (int i = 0; i < ForgedClientHellos; i++)
        {
            flooder.SendTo(InitialPackets.Forge(InitialPackets.RandomId(random), clientId, clientHello), target);
            if (i % 20 == 19) await WaitForAsync(() => Counters(listener).Started >= i + 1 - 5, ct); // keep the socket buffer from overflowing
            if (i + 1 == 2 * HandshakeLimit)
            {
                // The table is full and has evicted: from here on, more forgeries must not mean more memory.
                await WaitForAsync(() => Counters(listener).Started >= i + 1, ct);
                heapAtLimit = Heap();
            }
        }
        await WaitForAsync(() => Counters(listener).Started >= ForgedClientHellos, ct);
        var afterForgery = Counters(listener);

        // Phase 2: garbage of three kinds while a real client connects.
        var garbage = Task.Run(async () =>
        {
            var badFrames = new byte[] { 0x0a, 0x00, 0x03, 1, 2, 3 };
            for (int i = 0; i < GarbagePerKind; i++)
            {
                var noise = new byte[1200];
                random.NextBytes(noise);
                noise[0] = 0xC0;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(noise.AsSpan(1), 1);
                noise[5] = 8;
                noise[14] = 8;
                noise[23] = 0;
                noise[24] = 0x44;
                noise[25] = 0x96; // Length 1174: the rest of the datagram
                flooder.SendTo(noise, target);
                flooder.SendTo(InitialPackets.Forge(InitialPackets.RandomId(random), InitialPackets.RandomId(random), clientHello, keysFrom: InitialPackets.RandomId(random)), target);
                flooder.SendTo(InitialPackets.Forge(InitialPackets.RandomId(random), InitialPackets.RandomId(random), badFrames), target);
                if (i % 20 == 19) await WaitForAsync(() => Counters(listener).Rejected >= afterForgery.Rejected + 3 * (i + 1) - 15, ct);
            }
        }, ct);
        var accept = listener.AcceptConnectionAsync(ct).AsTask();
        await using var client = await QuicConnection.ConnectAsync(LoopbackPair.ClientOptions(listener), ct);
        await using var server = await accept;
        await garbage;
        await WaitForAsync(() => Counters(listener).Rejected >= afterForgery.Rejected + 3 * GarbagePerKind, ct);

        // The real connection works.
        await using (var stream = await client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, ct))
        {
            await stream.WriteAsync("still here"u8.ToArray(), completeWrites: true, ct);
            await using var inbound = await server.AcceptInboundStreamAsync(ct);
            using var reader = new StreamReader(inbound);
            Assert.That(await reader.ReadToEndAsync(ct), Is.EqualTo("still here"));
        }

        await sampling.CancelAsync();
        await sampler;
        long heapAfter = Heap();
        var end = Counters(listener);
        TestContext.Out.WriteLine($"handshakes started {end.Started}, evicted {end.Evicted}, refused {end.Refused}; Initials rejected {end.Rejected}; max connections {maxConnections}, max handshaking {maxHandshaking}; heap {heapBefore / 1024} KB, at the limit {heapAtLimit / 1024} KB, after {heapAfter / 1024} KB");
        Assert.Multiple(() =>
        {
            Assert.That(end.Started, Is.EqualTo(ForgedClientHellos + 1), "only the valid ClientHellos and the real client created state");
            Assert.That(end.Rejected - afterForgery.Rejected, Is.EqualTo(3 * GarbagePerKind), "every garbage Initial was refused before any state");
            Assert.That(maxHandshaking, Is.LessThanOrEqualTo(HandshakeLimit));
            Assert.That(maxConnections, Is.LessThanOrEqualTo(HandshakeLimit + 1), "the half-open limit plus the real connection");
            Assert.That(end.Evicted, Is.GreaterThanOrEqualTo(ForgedClientHellos + 1 - HandshakeLimit), "the oldest unvalidated handshakes made room");
            Assert.That(heapAfter - heapAtLimit, Is.LessThan(8L * 1024 * 1024), "136 more forged handshakes and 2400 garbage Initials: no more memory");
        });
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetGCMemoryInfo().HeapSizeBytes;
    }

    private static (long Started, long Evicted, long Refused, long Rejected) Counters(QuicListener listener)
    {
        lock (listener.Driver.Gate) return (listener.HandshakesStarted, listener.HandshakesEvicted, listener.HandshakesRefused, listener.Driver.Endpoint.InitialsRejected);
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the listener did not process the flood within 20 s");
            await Task.Delay(5, ct);
        }
    }
}
