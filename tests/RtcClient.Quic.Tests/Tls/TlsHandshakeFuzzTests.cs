using RtcClient.Quic.Crypto;
using RtcClient.Quic.Tls;
using static RtcClient.Quic.Tests.Tls.TlsHandshakeTests;

namespace RtcClient.Quic.Tests.Tls;

/// <summary>Seeded, bounded fuzzing: hostile bytes must only ever produce a TlsAlertException.</summary>
public class TlsHandshakeFuzzTests
{
    private const int Iterations = 3000;

    private static byte[] Mutate(Random random, byte[] original)
    {
        var data = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0: // flip a few bytes
                for (int i = random.Next(1, 4); i > 0; i--) data[random.Next(data.Length)] ^= (byte)random.Next(1, 256);
                return data;
            case 1: // truncate
                return data[..random.Next(data.Length)];
            case 2: // random tail after a valid prefix
                int keep = random.Next(data.Length);
                var tail = new byte[random.Next(1, 64)];
                random.NextBytes(tail);
                return [.. data[..keep], .. tail];
            case 3: // fully random body behind the original header type
                var noise = new byte[random.Next(1, 300)];
                random.NextBytes(noise);
                noise[0] = data[0];
                return noise;
            default: // set a length-looking field to an extreme
                int at = random.Next(data.Length);
                data[at] = 0xFF;
                if (at + 1 < data.Length) data[at + 1] = 0xFF;
                return data;
        }
    }

    private static void Feed(Random random, TlsHandshake handshake, EncryptionLevel level, byte[] data)
    {
        for (int offset = 0; offset < data.Length;)
        {
            int n = Math.Min(data.Length - offset, random.Next(1, 200));
            handshake.ProcessCryptoData(level, data.AsSpan(offset, n));
            offset += n;
        }
    }

    private static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (TlsAlertException e)
        {
            // internal_error would mean an unexpected exception was wrapped: a parser gap, not a verdict.
            Assert.That(e.Alert, Is.Not.EqualTo(TlsAlert.InternalError), e.InnerException?.ToString() ?? e.Message);
            return 1;
        }
    }

    [Test]
    public void Mutated_client_hellos_only_raise_alerts()
    {
        var random = new Random(20261125);
        var valid = TlsHandshakeFailureTests.ValidClientHello().Encode();
        int alerts = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var server = TlsHandshakeFailureTests.NewServer();
            var input = Mutate(random, valid);
            var level = random.Next(8) == 0 ? (EncryptionLevel)random.Next(4) : EncryptionLevel.Initial;
            alerts += Run(() => Feed(random, server.Handshake, level, input));
        }
        // Truncations just wait for more bytes; everything else must have been rejected by an alert.
        Assert.That(alerts, Is.GreaterThan(Iterations / 3), "mutations must be rejected");
    }

    [Test]
    public void Mutated_server_flights_only_raise_alerts()
    {
        var cert = TlsTestCertificates.Ecdsa;
        var (client0, server0) = Create(ClientOptions(cert), ServerOptions(cert));
        client0.Handshake.Start();
        var ch = client0.Outgoing.Dequeue();
        server0.Handshake.ProcessCryptoData(ch.Level, ch.Data);
        var flight = server0.Outgoing.ToArray();

        var random = new Random(42);
        int alerts = 0, completed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var client = new TlsTestPeer();
            client.Handshake = TlsHandshake.CreateClient(ClientOptions(cert), ClientParameters, client);
            client.Handshake.Start();
            int target = random.Next(flight.Length);
            alerts += Run(() =>
            {
                for (int m = 0; m < flight.Length; m++)
                {
                    var data = m == target ? Mutate(random, flight[m].Data) : flight[m].Data;
                    Feed(random, client.Handshake, flight[m].Level, data);
                }
            });
            completed += client.Handshake.IsHandshakeComplete ? 1 : 0;
        }
        // A fresh client has a different key share, so no replayed flight may complete.
        Assert.That(completed, Is.Zero);
        Assert.That(alerts, Is.GreaterThan(Iterations * 3 / 4));
    }

    [Test]
    public void Random_bytes_at_every_level_only_raise_alerts()
    {
        var random = new Random(7);
        var cert = TlsTestCertificates.Ecdsa;
        int alerts = 0, completed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var peer = new TlsTestPeer();
            peer.Handshake = i % 2 == 0
                ? TlsHandshake.CreateClient(ClientOptions(cert), ClientParameters, peer)
                : TlsHandshake.CreateServer(ServerOptions(cert), ServerParameters, peer);
            peer.Handshake.Start();
            var data = new byte[random.Next(1, 400)];
            random.NextBytes(data);
            if (random.Next(2) == 0) data[0] = (byte)(i % 2 == 0 ? TlsHandshakeType.ServerHello : TlsHandshakeType.ClientHello);
            if (random.Next(2) == 0 && data.Length >= 4) { data[1] = 0; data[2] = (byte)((data.Length - 4) >> 8); data[3] = (byte)(data.Length - 4); }
            alerts += Run(() => Feed(random, peer.Handshake, (EncryptionLevel)random.Next(4), data));
            completed += peer.Handshake.IsHandshakeComplete ? 1 : 0;
        }
        // Garbage never completes a handshake, and what is not still waiting for more bytes is refused with an alert.
        Assert.That(completed, Is.Zero);
        Assert.That(alerts, Is.GreaterThan(Iterations * 9 / 10));
    }
}
