using RtcClient.Quic.Connection;
using RtcClient.Quic.Tests.Simulation;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Connection;

/// <summary>
/// AEAD usage limits (RFC 9001 section 6.6), made small through the settings so that a test reaches them:
/// the real limits are 2^23 packets per AES-GCM key and 2^52 (AES-GCM) or 2^36 (ChaCha20) failed decryptions.
/// </summary>
public class AeadLimitTests
{
    [Test]
    public void Keys_are_updated_automatically_before_the_confidentiality_limit()
    {
        const long Limit = 200;
        var (c, s) = SimulatedNetwork.DefaultSettings(
            client: c => c with { AeadConfidentialityLimit = Limit },
            server: s => s with { AeadConfidentialityLimit = Limit });
        var link = new LinkConditions { Delay = 10_000, LossRate = 0.02 };
        var net = new SimulatedNetwork(c, s, seed: 41) { ToServer = link, ToClient = link };
        var transfer = new StreamTransfer(net, 1024 * 1024);
        net.OnStep = transfer.Step;
        bool done = net.RunUntil(() => transfer.Finished, 120_000_000);
        var client = net.ClientCore;
        var server = net.ServerCore;
        TestContext.Out.WriteLine($"client: {client.GetStatistics().PacketsSent} packets, {client.AutomaticKeyUpdates} automatic updates, {client.KeyUpdates} updates, at most {client.MostPacketsProtectedWithOneKey} per key; server: {server.GetStatistics().PacketsSent} packets, {server.AutomaticKeyUpdates} automatic, at most {server.MostPacketsProtectedWithOneKey} per key");
        Assert.Multiple(() =>
        {
            Assert.That(done, Is.True, $"received {transfer.ReceivedBytes}; client {client.CloseInfo}; server {server.CloseInfo}");
            Assert.That(transfer.HashMatches, Is.True);
            Assert.That(client.AutomaticKeyUpdates, Is.GreaterThanOrEqualTo(3), "the sender of ~900 packets updated its keys several times");
            Assert.That(client.KeyUpdates, Is.GreaterThanOrEqualTo(client.AutomaticKeyUpdates));
            Assert.That(client.MostPacketsProtectedWithOneKey, Is.LessThanOrEqualTo(Limit));
            Assert.That(server.MostPacketsProtectedWithOneKey, Is.LessThanOrEqualTo(Limit));
            Assert.That(client.State, Is.EqualTo(ConnectionState.Open));
            Assert.That(server.State, Is.EqualTo(ConnectionState.Open));
        });
    }

    [Test]
    public void When_no_key_update_is_possible_in_time_the_connection_closes_with_AEAD_LIMIT_REACHED()
    {
        // Two packets per key: the client reaches half of it with its first 1-RTT packet, before the handshake
        // is confirmed and before the server acknowledged any 1-RTT packet, both of which a key update needs
        // (RFC 9001 section 6.1). It must close instead of ever exceeding the limit.
        const long Limit = 2;
        var (c, s) = SimulatedNetwork.DefaultSettings(client: c => c with { AeadConfidentialityLimit = Limit });
        var net = new SimulatedNetwork(c, s, seed: 42);
        net.RunUntil(() => net.Server.Closing is not null, 5_000_000);
        var client = net.ClientCore;
        Assert.Multiple(() =>
        {
            Assert.That(client.CloseInfo?.ErrorCode, Is.EqualTo((long)TransportErrorCode.AeadLimitReached), client.CloseInfo?.Reason);
            Assert.That(net.Server.Closing?.ByPeer, Is.True, "the server heard CONNECTION_CLOSE");
            Assert.That(net.Server.Closing?.ErrorCode, Is.EqualTo((long)TransportErrorCode.AeadLimitReached));
            Assert.That(client.MostPacketsProtectedWithOneKey, Is.EqualTo(Limit), "the CONNECTION_CLOSE was the last packet the key may protect");
        });
        // The server keeps sending until it hears the close; the client answers, but never beyond the limit.
        net.RunFor(5_000_000);
        Assert.That(client.MostPacketsProtectedWithOneKey, Is.EqualTo(Limit), "nothing sent while closing exceeds it");
    }

    [Test]
    public void Beyond_the_integrity_limit_forged_packets_close_the_connection_with_AEAD_LIMIT_REACHED()
    {
        const long Limit = 5;
        var (c, s) = SimulatedNetwork.DefaultSettings(client: c => c with { AeadIntegrityLimit = Limit });
        var net = new SimulatedNetwork(c, s, seed: 43);
        Assert.That(net.RunUntil(() => net.ClientCore.IsHandshakeConfirmed && net.Server.HandshakeCompleted, 5_000_000), Is.True);
        net.RunFor(100_000);
        var client = net.ClientCore;
        var random = new Random(43);
        byte[] Forged()
        {
            var packet = new byte[60];
            random.NextBytes(packet);
            packet[0] = (byte)(0x40 | (packet[0] & 0x3F));
            client.SourceConnectionId.Span.CopyTo(packet.AsSpan(1));
            return packet;
        }
        for (int i = 0; i < Limit; i++) client.ReceiveDatagram(Forged(), net.Now);
        Assert.Multiple(() =>
        {
            Assert.That(client.AuthenticationFailures, Is.EqualTo(Limit));
            Assert.That(client.State, Is.EqualTo(ConnectionState.Open), "up to the limit, forgeries are only dropped");
        });
        client.ReceiveDatagram(Forged(), net.Now);
        net.RunUntil(() => net.Server.Closing is not null, 2_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(client.CloseInfo?.ErrorCode, Is.EqualTo((long)TransportErrorCode.AeadLimitReached));
            Assert.That(net.Server.Closing?.ByPeer, Is.True);
            Assert.That(net.Server.Closing?.ErrorCode, Is.EqualTo((long)TransportErrorCode.AeadLimitReached));
        });
    }
}
