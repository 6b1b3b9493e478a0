using System.Buffers.Binary;
using RtcClient.Quic.Connection;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Endpoint;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Tests.Simulation;

namespace RtcClient.Quic.Tests.Endpoint;

public class EndpointTests
{
    private const long Now = 1_000_000;

    private static byte[] LongHeader(uint version, int length, byte type = 0)
    {
        var d = new byte[length];
        d[0] = (byte)(0xC0 | (type << 4));
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(1), version);
        d[5] = 8;
        for (int i = 0; i < 8; i++) d[6 + i] = (byte)(0xA0 + i);
        d[14] = 4;
        for (int i = 0; i < 4; i++) d[15 + i] = (byte)(0xB0 + i);
        return d;
    }

    /// <summary>A server endpoint that counts (and keeps) the connections it creates.</summary>
    private sealed class CountingServer
    {
        public CountingServer(StatelessResetTokenGenerator? resetTokens = null)
            => Endpoint = new QuicEndpointCore<object>(8, new SeededRandomSource(1), Accept, resetTokens);

        public QuicEndpointCore<object> Endpoint { get; }
        public int Accepted { get; private set; }

        private object Accept(ConnectionId dcid, ConnectionId scid, (PacketProtection Client, PacketProtection Server) keys)
        {
            Accepted++;
            keys.Client.Dispose();
            keys.Server.Dispose();
            return new object();
        }
    }

    [Test]
    public void Unknown_version_gets_version_negotiation_with_swapped_ids()
    {
        var server = new CountingServer();
        var response = new byte[1500];
        Assert.That(server.Endpoint.Route(LongHeader(0xbabababa, 1200), response, out int length, Now), Is.Null);
        Assert.That(length, Is.GreaterThan(0));
        var vn = response[..length];
        Assert.Multiple(() =>
        {
            Assert.That(vn[0] & 0x80, Is.EqualTo(0x80));
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(vn.AsSpan(1)), Is.Zero);
            Assert.That(vn[5], Is.EqualTo(4), "DCID is the client's SCID");
            Assert.That(vn[6], Is.EqualTo(0xB0));
            Assert.That(vn[10], Is.EqualTo(8), "SCID is the client's DCID");
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(vn.AsSpan(length - 4)), Is.EqualTo(1u), "lists QUIC v1");
            Assert.That(server.Accepted, Is.Zero);
        });
    }

    [Test]
    public void A_genuine_Initial_creates_one_connection_and_its_repeat_reaches_it()
    {
        var server = new CountingServer();
        var response = new byte[1500];
        var genuine = InitialPackets.Genuine(seed: 3);
        // The endpoint decrypts a copy: the datagram itself must stay intact for the connection.
        var copy = (byte[])genuine.Clone();
        var first = server.Endpoint.Route(genuine, response, out _, Now);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.Null);
            Assert.That(genuine, Is.EqualTo(copy));
            Assert.That(server.Accepted, Is.EqualTo(1));
        });
        Assert.That(server.Endpoint.Route(genuine, response, out _, Now), Is.SameAs(first));
        Assert.That(server.Accepted, Is.EqualTo(1));
    }

    [Test]
    public void Initials_that_do_not_decrypt_or_parse_create_no_connection()
    {
        var server = new CountingServer();
        var response = new byte[1500];
        var random = new Random(5);
        var frames = InitialPackets.OpenFrames(InitialPackets.Genuine(seed: 4));
        byte[] Id() => InitialPackets.RandomId(random);
        var scid = Id();
        var otherKeys = Id();
        var forged = new (string What, byte[] Datagram)[]
        {
            ("too small", LongHeader(1, 1199)),
            ("garbage after a valid header", LongHeader(1, 1200)),
            ("a ClientHello under keys of another connection ID", InitialPackets.Forge(Id(), scid, frames, keysFrom: otherKeys)),
            ("reserved bits set", InitialPackets.Forge(Id(), scid, frames, reservedBits: 2)),
            ("only PING and PADDING", InitialPackets.Forge(Id(), scid, [0x01])),
            ("a STREAM frame, not allowed in an Initial", InitialPackets.Forge(Id(), scid, [0x0a, 0x00, 0x03, 1, 2, 3])),
            ("CRYPTO at offset 0 that is no ClientHello", InitialPackets.Forge(Id(), scid, [0x06, 0x00, 0x04, 0x02, 0, 0, 0])),
            ("a CRYPTO frame longer than the packet", InitialPackets.Forge(Id(), scid, [0x06, 0x00, 0x48, 0x00, 0x01])),
            ("a truncated frame type", InitialPackets.Forge(Id(), scid, [0x06, 0x00, 0x02, 0x01, 0x00, 0x40])),
        };
        foreach (var (what, datagram) in forged)
        {
            Assert.That(server.Endpoint.Route(datagram, response, out int length, Now), Is.Null, what);
            Assert.That(length, Is.Zero, what);
        }
        Assert.Multiple(() =>
        {
            Assert.That(server.Accepted, Is.Zero);
            Assert.That(server.Endpoint.InitialsRejected, Is.EqualTo(forged.Length - 1), "all but the short one were decrypted and refused");
            Assert.That(server.Endpoint.RouteCount, Is.Zero);
        });
        // The same ClientHello properly protected for a fresh connection ID is accepted.
        Assert.That(server.Endpoint.Route(InitialPackets.Forge(Id(), scid, frames), response, out _, Now), Is.Not.Null);
        Assert.That(server.Accepted, Is.EqualTo(1));
    }

    [Test]
    public void Client_endpoint_never_accepts()
    {
        var endpoint = new QuicEndpointCore<object>(8, new SeededRandomSource(1), null);
        var response = new byte[1500];
        Assert.That(endpoint.Route(InitialPackets.Genuine(seed: 5), response, out int length, Now), Is.Null);
        Assert.That(length, Is.Zero);
        var id = new ConnectionId([1, 2, 3, 4, 5, 6, 7, 8]);
        var owner = new object();
        endpoint.AddRoute(id, owner);
        var shortPacket = new byte[40];
        shortPacket[0] = 0x40;
        id.Span.CopyTo(shortPacket.AsSpan(1));
        Assert.That(endpoint.Route(shortPacket, response, out _, Now), Is.SameAs(owner));
    }

    private static byte[] ShortHeader(byte[] dcid, int length, int seed = 1)
    {
        var packet = new byte[length];
        new Random(seed).NextBytes(packet);
        packet[0] = (byte)(0x40 | (packet[0] & 0x3F));
        dcid.CopyTo(packet, 1);
        return packet;
    }

    [Test]
    public void Unknown_short_header_packets_get_a_smaller_stateless_reset_with_the_derived_token()
    {
        var tokens = new StatelessResetTokenGenerator(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var server = new CountingServer(tokens);
        var response = new byte[1500];
        byte[] dcid = [9, 8, 7, 6, 5, 4, 3, 2];
        var expectedToken = new byte[16];
        tokens.Compute(dcid, expectedToken);
        foreach (int trigger in new[] { 22, 30, 43, 44, 100, 1200 })
        {
            Assert.That(server.Endpoint.Route(ShortHeader(dcid, trigger), response, out int length, Now), Is.Null);
            var reset = response[..length];
            Assert.Multiple(() =>
            {
                Assert.That(length, Is.LessThan(trigger), $"trigger {trigger}: smaller, so resets cannot loop or amplify");
                Assert.That(length, Is.GreaterThanOrEqualTo(StatelessReset.MinLength), $"trigger {trigger}");
                if (trigger <= 43) Assert.That(length, Is.EqualTo(trigger - 1), "RFC 9000 section 10.3.3: one byte shorter than small triggers");
                Assert.That(reset[0] & 0xC0, Is.EqualTo(0x40), "looks like a short header");
                Assert.That(StatelessReset.IsStatelessReset(reset, expectedToken), Is.True, $"trigger {trigger}: ends in HMAC(key, CID)");
            });
        }
        Assert.That(server.Endpoint.Route(ShortHeader(dcid, 21), response, out int none, Now), Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(none, Is.Zero, "no reset for a packet of 21 bytes: it could not be answered by a smaller one");
            Assert.That(server.Endpoint.StatelessResetsSent, Is.EqualTo(6));
            Assert.That(server.Accepted, Is.Zero);
        });
    }

    [Test]
    public void Tokens_are_a_function_of_key_and_connection_id()
    {
        var a = new StatelessResetTokenGenerator(new byte[32]);
        var b = new StatelessResetTokenGenerator(Enumerable.Repeat((byte)1, 32).ToArray());
        byte[] Token(StatelessResetTokenGenerator g, byte[] id)
        {
            var t = new byte[16];
            g.Compute(id, t);
            return t;
        }
        byte[] id1 = [1, 2, 3, 4, 5, 6, 7, 8], id2 = [1, 2, 3, 4, 5, 6, 7, 9];
        var expected = System.Security.Cryptography.HMACSHA256.HashData(new byte[32], id1)[..16];
        Assert.Multiple(() =>
        {
            Assert.That(Token(a, id1), Is.EqualTo(expected));
            Assert.That(Token(new StatelessResetTokenGenerator(new byte[32]), id1), Is.EqualTo(Token(a, id1)), "same key, same token: it survives lost state");
            Assert.That(Token(a, id1), Is.Not.EqualTo(Token(a, id2)));
            Assert.That(Token(a, id1), Is.Not.EqualTo(Token(b, id1)));
        });
    }

    [Test]
    public void Stateless_resets_are_rate_limited()
    {
        var server = new CountingServer(new StatelessResetTokenGenerator(new byte[32]));
        var response = new byte[1500];
        var random = new Random(7);
        int Burst(long now, int count)
        {
            int sent = 0;
            for (int i = 0; i < count; i++)
            {
                server.Endpoint.Route(ShortHeader(InitialPackets.RandomId(random), 60, i), response, out int length, now);
                if (length > 0) sent++;
            }
            return sent;
        }
        Assert.Multiple(() =>
        {
            Assert.That(Burst(Now, 100), Is.EqualTo(QuicEndpointCore<object>.StatelessResetBurst), "a burst, then nothing");
            Assert.That(server.Endpoint.StatelessResetsSuppressed, Is.EqualTo(100 - QuicEndpointCore<object>.StatelessResetBurst));
            Assert.That(Burst(Now + 4 * QuicEndpointCore<object>.StatelessResetInterval, 100), Is.EqualTo(4), "one per interval");
            Assert.That(Burst(Now + 1_000_000_000, 100), Is.EqualTo(QuicEndpointCore<object>.StatelessResetBurst), "the burst refills, no further");
        });
    }

    [Test]
    public void Two_endpoints_that_lost_state_cannot_loop_on_each_other_resets()
    {
        var a = new CountingServer(new StatelessResetTokenGenerator(new byte[32]));
        var b = new CountingServer(new StatelessResetTokenGenerator(Enumerable.Repeat((byte)7, 32).ToArray()));
        var response = new byte[1500];
        byte[] packet = ShortHeader([1, 2, 3, 4, 5, 6, 7, 8], 1200);
        int exchanges = 0;
        long now = Now;
        while (exchanges < 1000)
        {
            var target = exchanges % 2 == 0 ? a : b;
            target.Endpoint.Route(packet, response, out int length, now += 1_000_000);
            if (length == 0) break;
            Assert.That(length, Is.LessThan(packet.Length));
            packet = response[..length];
            exchanges++;
        }
        Assert.That(exchanges, Is.InRange(1, 1200 - StatelessReset.MinLength), "each reset is smaller than the last, so the exchange ends");
    }

    [Test]
    public void A_stateless_reset_for_one_of_our_connections_is_routed_to_it_by_its_token()
    {
        // A reset carries no connection ID of ours: the endpoint finds the connection by the peer's token.
        var endpoint = new QuicEndpointCore<object>(8, new SeededRandomSource(1), null, new StatelessResetTokenGenerator(new byte[32]));
        var connection = new object();
        var token = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();
        endpoint.AddResetToken(token, connection);
        var reset = new byte[40];
        StatelessReset.Write(reset, token);
        var response = new byte[1500];
        Assert.Multiple(() =>
        {
            Assert.That(endpoint.Route(reset, response, out int length, Now), Is.SameAs(connection));
            Assert.That(length, Is.Zero, "not answered with a reset of our own");
        });
        endpoint.RemoveResetToken(token);
        Assert.That(endpoint.Route(reset, response, out int answered, Now), Is.Null);
        Assert.That(answered, Is.GreaterThan(0), "once the connection is gone, it is just an unknown packet");
    }

    [Test]
    public void Long_header_packets_for_unknown_connections_get_no_reset()
    {
        var server = new CountingServer(new StatelessResetTokenGenerator(new byte[32]));
        var response = new byte[1500];
        var handshake = LongHeader(1, 1200, type: 2);
        Assert.That(server.Endpoint.Route(handshake, response, out int length, Now), Is.Null);
        Assert.That(length, Is.Zero);
    }
}
