using RtcClient.Quic.Connection;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Tests.Simulation;

namespace RtcClient.Quic.Tests.Endpoint;

/// <summary>Client Initial datagrams, genuine and forged, for endpoint tests.</summary>
internal static class InitialPackets
{
    /// <summary>A genuine client's first datagram: its ClientHello in an Initial padded to 1200 bytes.</summary>
    public static byte[] Genuine(int seed)
    {
        var (c, _) = SimulatedNetwork.DefaultSettings();
        var core = QuicConnectionCore.CreateClient(c, new SeededRandomSource(seed), 1_000_000);
        var buffer = new byte[2048];
        int n = core.WriteDatagram(buffer, 1_000_000);
        return buffer[..n];
    }

    /// <summary>The Source Connection ID of a long header datagram (a ClientHello's transport parameters repeat it).</summary>
    public static byte[] SourceConnectionId(byte[] datagram)
    {
        Assert.That(PacketHeader.TryParse(datagram, 8, out var header), Is.True);
        return header.SourceConnectionId.ToArray();
    }

    /// <summary>The decrypted frames of a client Initial (the first packet of <paramref name="datagram"/>).</summary>
    public static byte[] OpenFrames(byte[] datagram)
    {
        Assert.That(PacketHeader.TryParse(datagram, 8, out var header), Is.True);
        var (client, server) = PacketProtection.CreateInitial(header.DestinationConnectionId);
        using (client)
        using (server)
        {
            var packet = header.Packet.ToArray();
            Assert.That(client.TryRemoveHeaderProtection(packet, header.PacketNumberOffset, out int pnLength), Is.True);
            long pn = PacketNumber.ReadTruncated(packet.AsSpan(header.PacketNumberOffset), pnLength);
            Assert.That(client.TryDecrypt(packet, header.PacketNumberOffset + pnLength, pn, out int payloadLength), Is.True);
            return packet.AsSpan(header.PacketNumberOffset + pnLength, payloadLength).ToArray();
        }
    }

    /// <summary>
    /// An Initial of 1200 bytes from <paramref name="scid"/> to <paramref name="dcid"/> carrying <paramref name="frames"/>
    /// (then PADDING), protected with the Initial keys of <paramref name="keysFrom"/> (default: <paramref name="dcid"/>),
    /// with <paramref name="reservedBits"/> (0 to 3) in the first byte.
    /// </summary>
    public static byte[] Forge(ReadOnlySpan<byte> dcid, ReadOnlySpan<byte> scid, ReadOnlySpan<byte> frames, int reservedBits = 0, byte[]? keysFrom = null)
    {
        const int PacketNumberLength = 2;
        var (client, server) = PacketProtection.CreateInitial(keysFrom ?? dcid);
        using (client)
        using (server)
        {
            var datagram = new byte[1200];
            int h = PacketWriter.WriteLongHeader(datagram, PacketType.Initial, QuicVersion.Version1, dcid, scid, default, 0, PacketNumberLength, out int lengthOffset);
            frames.CopyTo(datagram.AsSpan(h));
            PacketWriter.WriteLength(datagram, lengthOffset, datagram.Length - lengthOffset - PacketWriter.DefaultLengthFieldSize);
            datagram[0] |= (byte)(reservedBits << 2);
            client.Protect(datagram, h, 0);
            return datagram;
        }
    }

    /// <summary>A random connection ID of <paramref name="length"/> bytes.</summary>
    public static byte[] RandomId(Random random, int length = 8)
    {
        var id = new byte[length];
        random.NextBytes(id);
        return id;
    }
}
