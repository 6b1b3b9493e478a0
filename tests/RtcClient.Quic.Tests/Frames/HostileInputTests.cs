using RtcClient.Quic.Crypto;
using RtcClient.Quic.Frames;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Tls;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Tests.Frames;

/// <summary>Seeded, bounded fuzzing of everything that parses untrusted bytes.</summary>
public class HostileInputTests
{
    private const int Iterations = 200_000;

    private static byte[] ValidPayload()
    {
        var payload = new byte[400];
        int n = 0;
        FrameWriter.TryWriteAck(payload.AsSpan(n), [new AckRange(50, 60), new AckRange(10, 20)], 3, new EcnCounts(1, 2, 3), out int w); n += w;
        FrameWriter.TryWriteCrypto(payload.AsSpan(n), 100, new byte[30], out w); n += w;
        FrameWriter.TryWriteNewConnectionId(payload.AsSpan(n), 3, 1, [1, 2, 3, 4], new byte[16], out w); n += w;
        FrameWriter.TryWriteConnectionClose(payload.AsSpan(n), 7, 8, "x"u8, out w); n += w;
        FrameWriter.TryWriteMaxStreams(payload.AsSpan(n), true, 10, out w); n += w;
        FrameWriter.TryWriteResetStream(payload.AsSpan(n), 1, 2, 3, out w); n += w;
        FrameWriter.TryWriteNewToken(payload.AsSpan(n), [5, 5], out w); n += w;
        FrameWriter.TryWritePathChallenge(payload.AsSpan(n), new byte[8], out w); n += w;
        FrameWriter.TryWriteDatagram(payload.AsSpan(n), new byte[20], true, out w); n += w;
        FrameWriter.TryWriteStream(payload.AsSpan(n), 4, 70, new byte[40], true, true, out w); n += w;
        return payload[..n];
    }

    private static int ReadAll(ReadOnlySpan<byte> payload)
    {
        var reader = new FrameReader(payload);
        int frames = 0;
        long sum = 0;
        while (reader.TryRead(out Frame frame))
        {
            frames++;
            if (frame.Type == FrameType.Ack)
            {
                foreach (AckRange range in frame.AckRanges) sum += range.Count;
            }
        }

        return sum < 0 ? -1 : frames;
    }

    [Test]
    public void Every_prefix_of_a_valid_payload_reads_or_fails_with_a_protocol_error()
    {
        byte[] payload = ValidPayload();
        Assert.That(ReadAll(payload), Is.EqualTo(10));
        for (int length = 0; length < payload.Length; length++)
        {
            try
            {
                ReadAll(payload.AsSpan(0, length));
            }
            catch (QuicProtocolException ex)
            {
                Assert.That(ex.Code, Is.EqualTo(TransportErrorCode.FrameEncodingError).Or.EqualTo(TransportErrorCode.ProtocolViolation));
            }
        }
    }

    [Test]
    public void Random_and_mutated_payloads_only_raise_protocol_errors()
    {
        var rng = new Random(1234);
        byte[] valid = ValidPayload();
        var buffer = new byte[512];
        int errors = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            int length;
            if ((i & 1) == 0)
            {
                length = rng.Next(0, 64);
                rng.NextBytes(buffer.AsSpan(0, length));
            }
            else
            {
                length = valid.Length;
                valid.CopyTo(buffer, 0);
                for (int m = rng.Next(1, 4); m > 0; m--) buffer[rng.Next(length)] = (byte)rng.Next(256);
                length = rng.Next(1, length + 1);
            }

            try
            {
                ReadAll(buffer.AsSpan(0, length));
            }
            catch (QuicProtocolException)
            {
                errors++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(errors, Is.GreaterThan(Iterations / 10), "the fuzzer reaches error paths");
        // Only the exceptions allocate; nothing grows with the input.
        Assert.That(allocated, Is.LessThan((long)errors * 1024 + 64 * 1024));
    }

    [Test]
    public void Random_datagrams_never_throw_from_the_header_path()
    {
        var rng = new Random(4321);
        var (client, server) = PacketProtection.CreateInitial([1, 2, 3, 4, 5, 6, 7, 8]);
        using var oneRtt = PacketProtection.Create(TlsCipherSuite.ChaCha20Poly1305Sha256, new byte[32]);
        using (client)
        using (server)
        {
            byte[] seed = BuildCoalescedDatagram(client);
            var buffer = new byte[1500];
            int parsed = 0;
            for (int i = 0; i < Iterations; i++)
            {
                int length;
                if ((i & 1) == 0)
                {
                    length = rng.Next(0, 80);
                    rng.NextBytes(buffer.AsSpan(0, length));
                    if (i % 4 == 0 && length > 0) buffer[0] |= 0xC0; // steer toward long headers
                }
                else
                {
                    seed.CopyTo(buffer, 0);
                    length = rng.Next(0, seed.Length + 1);
                    for (int m = rng.Next(1, 4); m > 0 && length > 0; m--) buffer[rng.Next(length)] = (byte)rng.Next(256);
                }

                var packets = new DatagramPackets(buffer.AsSpan(0, length), 8).GetEnumerator();
                int guard = 0;
                while (packets.MoveNext())
                {
                    Assert.That(++guard, Is.LessThanOrEqualTo(length), "iteration always advances");
                    PacketHeader header = packets.Current;
                    parsed++;
                    if (!header.IsProtected) continue;
                    Span<byte> packet = buffer.AsSpan(packets.CurrentOffset, header.Packet.Length);
                    PacketProtection keys = header.Type == PacketType.OneRtt ? oneRtt : client;
                    if (!keys.TryRemoveHeaderProtection(packet, header.PacketNumberOffset, out int pnLength)) continue;
                    long pn = PacketNumber.Decode(-1, PacketNumber.ReadTruncated(packet[header.PacketNumberOffset..], pnLength), pnLength);
                    keys.TryDecrypt(packet, header.PacketNumberOffset + pnLength, pn, out _);
                }

                StatelessReset.IsStatelessReset(buffer.AsSpan(0, length), seed.AsSpan(0, 16));
            }

            Assert.That(parsed, Is.GreaterThan(Iterations / 4));
        }
    }

    [Test]
    public void Random_transport_parameters_only_raise_transport_parameter_errors()
    {
        var rng = new Random(99);
        byte[] valid = new TransportParameters
        {
            OriginalDestinationConnectionId = [1, 2], InitialSourceConnectionId = [3], MaxIdleTimeout = 100, InitialMaxData = 1000,
            StatelessResetToken = new byte[16], MaxDatagramFrameSize = 1200,
        }.Encode();
        var buffer = new byte[128];
        for (int i = 0; i < Iterations / 4; i++)
        {
            int length;
            if ((i & 1) == 0)
            {
                length = rng.Next(0, 48);
                rng.NextBytes(buffer.AsSpan(0, length));
            }
            else
            {
                valid.CopyTo(buffer, 0);
                length = rng.Next(0, valid.Length + 1);
                for (int m = rng.Next(1, 3); m > 0 && length > 0; m--) buffer[rng.Next(length)] = (byte)rng.Next(256);
            }

            try
            {
                TransportParameters.Decode(buffer.AsSpan(0, length), fromServer: (i & 2) == 0);
            }
            catch (QuicProtocolException ex)
            {
                Assert.That(ex.Code, Is.EqualTo(TransportErrorCode.TransportParameterError));
            }
        }
    }

    private static byte[] BuildCoalescedDatagram(PacketProtection keys)
    {
        var datagram = new byte[300];
        byte[] dcid = [1, 2, 3, 4, 5, 6, 7, 8];
        int headerLength = PacketWriter.WriteLongHeader(datagram, PacketType.Initial, QuicVersion.Version1, dcid, [9], [1, 2], 0, 2, out int lengthOffset);
        PacketWriter.WriteLength(datagram, lengthOffset, 2 + 100 + PacketProtection.TagLength);
        FrameWriter.TryWriteCrypto(datagram.AsSpan(headerLength), 0, new byte[90], out _);
        int first = headerLength + 100 + PacketProtection.TagLength;
        keys.Protect(datagram.AsSpan(0, first), headerLength, 0);
        int shortHeader = PacketWriter.WriteShortHeader(datagram.AsSpan(first), dcid, 1, 1, false, false);
        FrameWriter.TryWritePing(datagram.AsSpan(first + shortHeader), out _);
        return datagram;
    }
}
