using RtcClient.Quic.Crypto;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Packets;

public class PacketHeaderTests
{
    private static readonly byte[] Dcid = [0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8];
    private static readonly byte[] Scid = [0x51, 0x52, 0x53, 0x54];

    [TestCase(PacketType.Initial)]
    [TestCase(PacketType.ZeroRtt)]
    [TestCase(PacketType.Handshake)]
    public void Long_header_round_trips(PacketType type)
    {
        byte[] token = type == PacketType.Initial ? [1, 2, 3] : [];
        var packet = new byte[200];
        int headerLength = PacketWriter.WriteLongHeader(packet, type, QuicVersion.Version1, Dcid, Scid, token, 0x1234, 2, out int lengthOffset);
        Assert.That(headerLength, Is.EqualTo(PacketWriter.GetLongHeaderLength(type, Dcid.Length, Scid.Length, token.Length, 2)));
        int payload = 50;
        PacketWriter.WriteLength(packet, lengthOffset, 2 + payload + PacketProtection.TagLength);
        int total = headerLength + payload + PacketProtection.TagLength;

        Assert.That(PacketHeader.TryParse(packet, 8, out PacketHeader header), Is.True);
        Assert.That(header.Type, Is.EqualTo(type));
        Assert.That(header.IsLongHeader, Is.True);
        Assert.That(header.Version, Is.EqualTo(QuicVersion.Version1));
        Assert.That(header.DestinationConnectionId.SequenceEqual(Dcid), Is.True);
        Assert.That(header.SourceConnectionId.SequenceEqual(Scid), Is.True);
        Assert.That(header.Token.SequenceEqual(token), Is.True);
        Assert.That(header.PacketNumberOffset, Is.EqualTo(headerLength - 2));
        Assert.That(header.Packet.Length, Is.EqualTo(total));
        Assert.That(header.FirstByte & 0x03, Is.EqualTo(1));
        Assert.That(PacketNumber.ReadTruncated(packet.AsSpan(header.PacketNumberOffset), 2), Is.EqualTo(0x1234));
    }

    [Test]
    public void Short_header_round_trips_with_spin_and_key_phase()
    {
        var packet = new byte[40];
        int headerLength = PacketWriter.WriteShortHeader(packet, Dcid, 0xabcdef, 3, spinBit: true, keyPhase: true);
        Assert.That(headerLength, Is.EqualTo(12));
        Assert.That(PacketHeader.TryParse(packet, Dcid.Length, out PacketHeader header), Is.True);
        Assert.That(header.Type, Is.EqualTo(PacketType.OneRtt));
        Assert.That(header.SpinBit, Is.True);
        Assert.That(PacketHeader.GetKeyPhase(header.FirstByte), Is.True);
        Assert.That(header.PacketNumberOffset, Is.EqualTo(9));
        Assert.That(header.Packet.Length, Is.EqualTo(40));
        Assert.That(PacketNumber.ReadTruncated(packet.AsSpan(9), 3), Is.EqualTo(0xabcdef));
    }

    [Test]
    public void Cleared_fixed_bit_is_dropped()
    {
        var packet = new byte[40];
        PacketWriter.WriteShortHeader(packet, Dcid, 1, 1, false, false);
        packet[0] &= 0xBF;
        Assert.That(PacketHeader.TryParse(packet, 8, out _), Is.False);

        PacketWriter.WriteLongHeader(packet, PacketType.Handshake, QuicVersion.Version1, Dcid, Scid, [], 1, 1, out int lengthOffset);
        PacketWriter.WriteLength(packet, lengthOffset, 10);
        Assert.That(PacketHeader.TryParse(packet, 8, out _), Is.True);
        packet[0] &= 0xBF;
        Assert.That(PacketHeader.TryParse(packet, 8, out _), Is.False);
    }

    [TestCase(0xC0 | 0x04)]
    [TestCase(0xC0 | 0x08)]
    [TestCase(0x40 | 0x08)]
    [TestCase(0x40 | 0x10)]
    public void Non_zero_reserved_bits_are_a_protocol_violation(int firstByte)
    {
        var ex = Assert.Throws<QuicProtocolException>(() => PacketHeader.ValidateReservedBits((byte)firstByte));
        Assert.That(ex!.Code, Is.EqualTo(TransportErrorCode.ProtocolViolation));
    }

    [TestCase(0xC3)]
    [TestCase(0x47)]
    [TestCase(0x63)]
    public void Zero_reserved_bits_pass(int firstByte) => Assert.DoesNotThrow(() => PacketHeader.ValidateReservedBits((byte)firstByte));

    [Test]
    public void Long_connection_ids_are_rejected_in_v1_but_parsed_for_unknown_versions()
    {
        var packet = new byte[100];
        packet[0] = 0xC0;
        packet[4] = 1;
        packet[5] = 21; // DCID length 21
        Assert.That(PacketHeader.TryParse(packet, 0, out _), Is.False);
        packet[4] = 2; // version 2 is not supported: only invariants are parsed
        Assert.That(PacketHeader.TryParse(packet, 0, out PacketHeader header), Is.True);
        Assert.That(header.Type, Is.EqualTo(PacketType.UnsupportedVersion));
        Assert.That(header.DestinationConnectionId.Length, Is.EqualTo(21));
    }

    [Test]
    public void Truncation_at_every_length_returns_false_or_a_shorter_packet_never_throws()
    {
        var packet = new byte[120];
        int headerLength = PacketWriter.WriteLongHeader(packet, PacketType.Initial, QuicVersion.Version1, Dcid, Scid, [7, 7, 7, 7], 3, 4, out int lengthOffset);
        PacketWriter.WriteLength(packet, lengthOffset, packet.Length - headerLength + 4);
        for (int length = 0; length < packet.Length; length++)
        {
            Assert.That(PacketHeader.TryParse(packet.AsSpan(0, length), 8, out _), Is.False, $"length {length}");
        }

        Assert.That(PacketHeader.TryParse(packet, 8, out _), Is.True);
    }

    [Test]
    public void Length_past_the_end_is_dropped()
    {
        var packet = new byte[60];
        PacketWriter.WriteLongHeader(packet, PacketType.Handshake, QuicVersion.Version1, Dcid, Scid, [], 3, 1, out int lengthOffset, lengthFieldSize: 8);
        PacketWriter.WriteLength(packet, lengthOffset, VariableLengthInteger.MaxValue, 8);
        Assert.That(PacketHeader.TryParse(packet, 8, out _), Is.False);
    }
}
