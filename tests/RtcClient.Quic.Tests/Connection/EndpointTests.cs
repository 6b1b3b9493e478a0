using System.Buffers.Binary;
using RtcClient.Quic.Connection;
using RtcClient.Quic.Endpoint;
using RtcClient.Quic.Tests.Simulation;

namespace RtcClient.Quic.Tests.Connection;

public class EndpointTests
{
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

    [Test]
    public void Unknown_version_gets_version_negotiation_with_swapped_ids()
    {
        var endpoint = new QuicEndpointCore<object>(8, new SeededRandomSource(1), (_, _) => new object());
        var response = new byte[1500];
        Assert.That(endpoint.Route(LongHeader(0xbabababa, 1200), response, out int length), Is.Null);
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
        });
    }

    [Test]
    public void Small_datagrams_get_no_version_negotiation_and_create_no_connection()
    {
        int accepted = 0;
        var endpoint = new QuicEndpointCore<object>(8, new SeededRandomSource(1), (_, _) => { accepted++; return new object(); });
        var response = new byte[1500];
        endpoint.Route(LongHeader(0xbabababa, 1199), response, out int vnLength);
        endpoint.Route(LongHeader(1, 1199), response, out _);
        Assert.Multiple(() =>
        {
            Assert.That(vnLength, Is.Zero);
            Assert.That(accepted, Is.Zero);
        });
        Assert.That(endpoint.Route(LongHeader(1, 1200), response, out _), Is.Not.Null);
        Assert.That(accepted, Is.EqualTo(1));
        // The same client's next Initial reaches the same connection.
        Assert.That(endpoint.Route(LongHeader(1, 1200), response, out _), Is.Not.Null);
        Assert.That(accepted, Is.EqualTo(1));
    }

    [Test]
    public void Client_endpoint_never_accepts()
    {
        var endpoint = new QuicEndpointCore<object>(8, new SeededRandomSource(1), null);
        var response = new byte[1500];
        Assert.That(endpoint.Route(LongHeader(1, 1200), response, out int length), Is.Null);
        Assert.That(length, Is.Zero);
        var id = new ConnectionId([1, 2, 3, 4, 5, 6, 7, 8]);
        var owner = new object();
        endpoint.AddRoute(id, owner);
        var shortPacket = new byte[40];
        shortPacket[0] = 0x40;
        id.Span.CopyTo(shortPacket.AsSpan(1));
        Assert.That(endpoint.Route(shortPacket, response, out _), Is.SameAs(owner));
    }
}
