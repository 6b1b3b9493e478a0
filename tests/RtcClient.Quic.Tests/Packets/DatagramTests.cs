using System.Buffers.Binary;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Packets;

namespace RtcClient.Quic.Tests.Packets;

public class DatagramTests
{
    private static readonly byte[] Dcid = [1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly byte[] Scid = [9, 9, 9, 9];

    private static int WriteLong(Span<byte> destination, PacketType type, byte[] dcid, int payloadLength)
    {
        int headerLength = PacketWriter.WriteLongHeader(destination, type, QuicVersion.Version1, dcid, Scid, [], 0, 1, out int lengthOffset);
        PacketWriter.WriteLength(destination, lengthOffset, 1 + payloadLength + PacketProtection.TagLength);
        return headerLength + payloadLength + PacketProtection.TagLength;
    }

    [Test]
    public void Coalesced_packets_are_split_by_their_length_fields()
    {
        var datagram = new byte[300];
        int a = WriteLong(datagram, PacketType.Initial, Dcid, 40);
        int b = WriteLong(datagram.AsSpan(a), PacketType.Handshake, Dcid, 60);
        int c = PacketWriter.WriteShortHeader(datagram.AsSpan(a + b), Dcid, 5, 1, false, false);
        Assert.That(c, Is.GreaterThan(0));

        var types = new List<PacketType>();
        var lengths = new List<int>();
        var offsets = new List<int>();
        var packets = new DatagramPackets(datagram, Dcid.Length).GetEnumerator();
        while (packets.MoveNext())
        {
            types.Add(packets.Current.Type);
            lengths.Add(packets.Current.Packet.Length);
            offsets.Add(packets.CurrentOffset);
        }

        Assert.That(types, Is.EqualTo(new[] { PacketType.Initial, PacketType.Handshake, PacketType.OneRtt }));
        Assert.That(lengths, Is.EqualTo(new[] { a, b, datagram.Length - a - b }));
        Assert.That(offsets, Is.EqualTo(new[] { 0, a, a + b }));
        Assert.That(packets.StoppedEarly, Is.False);
    }

    [Test]
    public void Splitting_stops_at_garbage_and_skips_foreign_connection_ids()
    {
        var datagram = new byte[300];
        int a = WriteLong(datagram, PacketType.Initial, Dcid, 40);
        int b = WriteLong(datagram.AsSpan(a), PacketType.Handshake, [7, 7, 7, 7, 7, 7, 7, 7], 20);
        int c = WriteLong(datagram.AsSpan(a + b), PacketType.Handshake, Dcid, 20);
        // Zero bytes follow: not a packet (fixed bit clear).
        int count = 0;
        var packets = new DatagramPackets(datagram, Dcid.Length).GetEnumerator();
        while (packets.MoveNext())
        {
            Assert.That(packets.Current.DestinationConnectionId.SequenceEqual(Dcid), Is.True);
            count++;
        }

        Assert.That(count, Is.EqualTo(2));
        Assert.That(packets.StoppedEarly, Is.True);
        Assert.That(a + b + c, Is.LessThan(datagram.Length));
    }

    [Test]
    public void Version_negotiation_is_built_parsed_and_evaluated()
    {
        var packet = new byte[64];
        uint[] versions = [QuicVersion.Version1, 0x1a2a3a4a];
        int length = VersionNegotiation.Write(packet, Scid, Dcid, versions, 0x55);
        Assert.That(length, Is.EqualTo(VersionNegotiation.GetLength(Scid.Length, Dcid.Length, 2)));
        Assert.That(packet[0], Is.EqualTo(0x80 | 0x55));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(1)), Is.Zero);

        Assert.That(PacketHeader.TryParse(packet.AsSpan(0, length), 0, out PacketHeader header), Is.True);
        Assert.That(header.Type, Is.EqualTo(PacketType.VersionNegotiation));
        Assert.That(header.DestinationConnectionId.SequenceEqual(Scid), Is.True);
        Assert.That(VersionNegotiation.Contains(header.SupportedVersions, 0x1a2a3a4a), Is.True);
        Assert.That(VersionNegotiation.Contains(header.SupportedVersions, 2), Is.False);
        Assert.That(QuicVersion.IsReservedForNegotiation(0x1a2a3a4a), Is.True);

        // The client sent DCID=Dcid, SCID=Scid with v1; a VN listing v1 is ignored.
        Assert.That(VersionNegotiation.Evaluate(header, Dcid, Scid, QuicVersion.Version1, false), Is.EqualTo(VersionNegotiationAction.Ignore));
        length = VersionNegotiation.Write(packet, Scid, Dcid, [0xff00001d], 0);
        Assert.That(PacketHeader.TryParse(packet.AsSpan(0, length), 0, out header), Is.True);
        Assert.That(VersionNegotiation.Evaluate(header, Dcid, Scid, QuicVersion.Version1, false), Is.EqualTo(VersionNegotiationAction.Abandon));
        Assert.That(VersionNegotiation.Evaluate(header, Dcid, Scid, QuicVersion.Version1, processedOtherPacket: true), Is.EqualTo(VersionNegotiationAction.Ignore));
        Assert.That(VersionNegotiation.Evaluate(header, Scid, Dcid, QuicVersion.Version1, false), Is.EqualTo(VersionNegotiationAction.Ignore));
    }

    [Test]
    public void Malformed_version_lists_are_dropped()
    {
        var packet = new byte[64];
        int length = VersionNegotiation.Write(packet, Scid, Dcid, [1], 0);
        Assert.That(PacketHeader.TryParse(packet.AsSpan(0, length - 1), 0, out _), Is.False);
        Assert.That(PacketHeader.TryParse(packet.AsSpan(0, length - 4), 0, out _), Is.False);
    }

    [Test]
    public void Server_sends_version_negotiation_only_for_unknown_versions_in_full_size_datagrams()
    {
        var datagram = new byte[1200];
        datagram[0] = 0xC0;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(1), 0x0a0a0a0a);
        datagram[5] = 8;
        datagram[14] = 0;
        Assert.That(PacketHeader.TryParse(datagram, 8, out PacketHeader header), Is.True);
        Assert.That(VersionNegotiation.ShouldSend(header, datagram.Length), Is.True);
        Assert.That(VersionNegotiation.ShouldSend(header, 1199), Is.False);

        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(1), QuicVersion.Version1);
        datagram[15] = 0; // token length
        datagram[16] = 0x40; datagram[17] = 100; // Length
        Assert.That(PacketHeader.TryParse(datagram, 8, out header), Is.True);
        Assert.That(VersionNegotiation.ShouldSend(header, datagram.Length), Is.False);

        int length = VersionNegotiation.Write(datagram, Scid, Dcid, [QuicVersion.Version1], 0);
        Assert.That(PacketHeader.TryParse(datagram.AsSpan(0, length), 8, out header), Is.True);
        Assert.That(VersionNegotiation.ShouldSend(header, 1200), Is.False);
    }

    [Test]
    public void Stateless_reset_is_built_and_detected()
    {
        byte[] token = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();
        int length = StatelessReset.GetResponseLength(100);
        Assert.That(length, Is.EqualTo(99));
        Assert.That(StatelessReset.GetResponseLength(21), Is.Zero);
        Assert.That(StatelessReset.GetResponseLength(22), Is.EqualTo(21));
        Assert.That(StatelessReset.GetResponseLength(5000), Is.EqualTo(StatelessReset.MaxLength));

        var reset = new byte[length];
        StatelessReset.Write(reset, token);
        Assert.That(reset[0] & 0xC0, Is.EqualTo(0x40));
        Assert.That(StatelessReset.IsStatelessReset(reset, token), Is.True);
        Assert.That(PacketHeader.TryParse(reset, 8, out PacketHeader header), Is.True, "looks like a short header packet");
        Assert.That(header.Type, Is.EqualTo(PacketType.OneRtt));

        byte[] other = token.ToArray();
        other[15] ^= 1;
        Assert.That(StatelessReset.IsStatelessReset(reset, other), Is.False);
        Assert.That(StatelessReset.IsStatelessReset(reset.AsSpan(length - 20), token), Is.False, "shorter than 21 bytes");
    }
}
