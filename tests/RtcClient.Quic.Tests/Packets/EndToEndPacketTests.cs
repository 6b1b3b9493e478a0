using RtcClient.Quic.Crypto;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Tls;

namespace RtcClient.Quic.Tests.Packets;

/// <summary>The whole send and receive path of the wire layer, as the connection uses it.</summary>
public class EndToEndPacketTests
{
    private static readonly byte[] ServerCid = [0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58];
    private static readonly byte[] ClientCid = [0xc1, 0xc2, 0xc3, 0xc4];

    [Test]
    public void Initial_handshake_and_1rtt_coalesced_in_one_datagram_round_trip()
    {
        var (clientInitial, serverInitial) = PacketProtection.CreateInitial(ServerCid);
        byte[] handshakeSecret = Enumerable.Range(0, 48).Select(i => (byte)i).ToArray();
        byte[] appSecret = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        using var handshakeSend = PacketProtection.Create(TlsCipherSuite.Aes256GcmSha384, handshakeSecret);
        using var handshakeReceive = PacketProtection.Create(TlsCipherSuite.Aes256GcmSha384, handshakeSecret);
        using var appSend = PacketProtection.Create(TlsCipherSuite.ChaCha20Poly1305Sha256, appSecret);
        using var appReceive = PacketProtection.Create(TlsCipherSuite.ChaCha20Poly1305Sha256, appSecret);
        using (clientInitial)
        using (serverInitial)
        {
            var datagram = new byte[1200];
            int n = 0;
            n += WriteLongPacket(datagram.AsSpan(n), PacketType.Initial, clientInitial, 0, [1, 2, 3], (Span<byte> p, out int w) => FrameWriter.TryWriteCrypto(p, 0, new byte[200], out w));
            n += WriteLongPacket(datagram.AsSpan(n), PacketType.Handshake, handshakeSend, 1000, [], (Span<byte> p, out int w) => FrameWriter.TryWriteAck(p, [new AckRange(0, 3)], 10, null, out w));
            int shortLength = datagram.Length - n;
            Span<byte> oneRtt = datagram.AsSpan(n, shortLength);
            int pnLength = PacketNumber.GetEncodedLength(70_000, 69_000);
            int header = PacketWriter.WriteShortHeader(oneRtt, ServerCid, 70_000, pnLength, spinBit: true, keyPhase: false);
            int room = shortLength - header - PacketProtection.TagLength;
            int dataLength = FrameSize.GetMaxDatagramDataLength(room, includeLength: false);
            Assert.That(FrameWriter.TryWriteDatagram(oneRtt[header..], new byte[dataLength], includeLength: false, out int written), Is.True);
            Assert.That(written, Is.EqualTo(room));
            appSend.Protect(oneRtt, header, 70_000);

            // Receive side.
            var types = new List<PacketType>();
            var enumerator = new DatagramPackets(datagram, ServerCid.Length).GetEnumerator();
            while (enumerator.MoveNext())
            {
                PacketHeader parsed = enumerator.Current;
                Span<byte> packet = datagram.AsSpan(enumerator.CurrentOffset, parsed.Packet.Length);
                PacketProtection keys = parsed.Type switch
                {
                    PacketType.Initial => clientInitial, // the server opens the client's Initial with the client keys
                    PacketType.Handshake => handshakeReceive,
                    _ => appReceive,
                };
                long largestReceived = parsed.Type == PacketType.OneRtt ? 69_990 : -1;
                Assert.That(keys.TryRemoveHeaderProtection(packet, parsed.PacketNumberOffset, out int length), Is.True);
                long pn = PacketNumber.Decode(largestReceived, PacketNumber.ReadTruncated(packet[parsed.PacketNumberOffset..], length), length);
                Assert.That(keys.TryDecrypt(packet, parsed.PacketNumberOffset + length, pn, out int payloadLength), Is.True, parsed.Type.ToString());
                PacketHeader.ValidateReservedBits(packet[0]);
                var reader = new FrameReader(packet.Slice(parsed.PacketNumberOffset + length, payloadLength));
                int frames = 0;
                while (reader.TryRead(out Frame frame))
                {
                    FrameRules.ValidatePacketType(frame, parsed.Type);
                    frames++;
                }

                Assert.That(frames, Is.GreaterThan(0));
                types.Add(parsed.Type);
                if (parsed.Type == PacketType.OneRtt) Assert.That((pn, parsed.SpinBit, PacketHeader.GetKeyPhase(packet[0])), Is.EqualTo((70_000L, true, false)));
                if (parsed.Type == PacketType.Handshake) Assert.That(pn, Is.EqualTo(1000));
            }

            Assert.That(types, Is.EqualTo(new[] { PacketType.Initial, PacketType.Handshake, PacketType.OneRtt }));
        }
    }

    private delegate bool WriteFrames(Span<byte> payload, out int written);

    private static int WriteLongPacket(Span<byte> destination, PacketType type, PacketProtection keys, long pn, byte[] token, WriteFrames frames)
    {
        int pnLength = PacketNumber.GetEncodedLength(pn, -1);
        int header = PacketWriter.WriteLongHeader(destination, type, QuicVersion.Version1, ServerCid, ClientCid, token, pn, pnLength, out int lengthOffset);
        Assert.That(frames(destination[header..^PacketProtection.TagLength], out int payload), Is.True);
        int padding = Math.Max(0, PacketProtection.GetMinimumPayloadLength(pnLength) - payload);
        destination.Slice(header + payload, padding).Clear();
        payload += padding;
        PacketWriter.WriteLength(destination, lengthOffset, pnLength + payload + PacketProtection.TagLength);
        int total = header + payload + PacketProtection.TagLength;
        keys.Protect(destination[..total], header, pn);
        return total;
    }
}
