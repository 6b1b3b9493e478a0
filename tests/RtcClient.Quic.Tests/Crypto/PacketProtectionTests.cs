using RtcClient.Quic.Crypto;
using RtcClient.Quic.Packets;
using RtcClient.Quic.Tls;
using static RtcClient.Quic.Tests.Crypto.Rfc9001Vectors;

namespace RtcClient.Quic.Tests.Crypto;

public class PacketProtectionTests
{
    [Test]
    public void A1_initial_keys_match_rfc9001()
    {
        Span<byte> client = stackalloc byte[32];
        Span<byte> server = stackalloc byte[32];
        PacketProtection.DeriveInitialSecrets(Hex(ClientDestinationConnectionId), client, server);
        Assert.That(ToHex(client), Is.EqualTo("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea"));
        Assert.That(ToHex(server), Is.EqualTo("3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b"));

        Span<byte> key = stackalloc byte[16];
        Span<byte> iv = stackalloc byte[12];
        Span<byte> hp = stackalloc byte[16];
        PacketProtection.DeriveKeys(TlsCipherSuite.Aes128GcmSha256, client, key, iv, hp);
        Assert.That((ToHex(key), ToHex(iv), ToHex(hp)), Is.EqualTo((ClientKey, ClientIv, ClientHp)));
        PacketProtection.DeriveKeys(TlsCipherSuite.Aes128GcmSha256, server, key, iv, hp);
        Assert.That((ToHex(key), ToHex(iv), ToHex(hp)), Is.EqualTo((ServerKey, ServerIv, ServerHp)));
    }

    [Test]
    public void A2_client_initial_is_reproduced_byte_for_byte()
    {
        byte[] header = Hex(ClientInitialHeader);
        byte[] crypto = Hex(ClientInitialCryptoFrame);
        var packet = new byte[header.Length + 1162 + PacketProtection.TagLength];
        header.CopyTo(packet, 0);
        crypto.CopyTo(packet, header.Length); // the rest of the 1162-byte payload stays zero: PADDING

        var (client, server) = PacketProtection.CreateInitial(Hex(ClientDestinationConnectionId));
        using (client)
        using (server)
        {
            client.Protect(packet, header.Length, 2);
            Assert.That(ToHex(packet), Is.EqualTo(ToHex(Hex(ClientInitialProtected))));
        }
    }

    [Test]
    public void A2_client_initial_is_parsed_and_decrypted_by_the_server()
    {
        byte[] packet = Hex(ClientInitialProtected);
        Assert.That(PacketHeader.TryParse(packet, 8, out PacketHeader header), Is.True);
        Assert.That(header.Type, Is.EqualTo(PacketType.Initial));
        Assert.That(ToHex(header.DestinationConnectionId), Is.EqualTo(ClientDestinationConnectionId));
        Assert.That(header.Packet.Length, Is.EqualTo(packet.Length));
        int pnOffset = header.PacketNumberOffset;

        var (client, server) = PacketProtection.CreateInitial(header.DestinationConnectionId);
        using (client)
        using (server)
        {
            Assert.That(client.TryRemoveHeaderProtection(packet, pnOffset, out int pnLength), Is.True);
            Assert.That(pnLength, Is.EqualTo(4));
            long pn = PacketNumber.Decode(-1, PacketNumber.ReadTruncated(packet.AsSpan(pnOffset), pnLength), pnLength);
            Assert.That(pn, Is.EqualTo(2));
            Assert.That(ToHex(packet.AsSpan(0, pnOffset + pnLength)), Is.EqualTo(ClientInitialHeader));
            Assert.That(client.TryDecrypt(packet, pnOffset + pnLength, pn, out int payloadLength), Is.True);
            Assert.That(payloadLength, Is.EqualTo(1162));
            byte[] crypto = Hex(ClientInitialCryptoFrame);
            Assert.That(ToHex(packet.AsSpan(pnOffset + pnLength, crypto.Length)), Is.EqualTo(ToHex(crypto)));
            PacketHeader.ValidateReservedBits(packet[0]);
        }
    }

    [Test]
    public void A2_and_A3_also_hold_with_the_bcl_header_protection_path()
    {
        bool saved = PacketProtection.UseAesNiHeaderProtection;
        PacketProtection.UseAesNiHeaderProtection = false;
        try
        {
            A2_client_initial_is_reproduced_byte_for_byte();
            A2_client_initial_is_parsed_and_decrypted_by_the_server();
            A3_server_initial_is_reproduced_and_reversed();
            Protect_and_unprotect_allocate_nothing_per_packet();
        }
        finally
        {
            PacketProtection.UseAesNiHeaderProtection = saved;
        }
    }

    [Test]
    public void A3_server_initial_is_reproduced_and_reversed()
    {
        byte[] header = Hex(ServerInitialHeader);
        byte[] payload = Hex(ServerInitialPayload);
        var packet = new byte[header.Length + payload.Length + PacketProtection.TagLength];
        header.CopyTo(packet, 0);
        payload.CopyTo(packet, header.Length);
        var (client, server) = PacketProtection.CreateInitial(Hex(ClientDestinationConnectionId));
        using (client)
        using (server)
        {
            server.Protect(packet, header.Length, 1);
            Assert.That(ToHex(packet), Is.EqualTo(ToHex(Hex(ServerInitialProtected))));

            Assert.That(PacketHeader.TryParse(packet, 0, out PacketHeader parsed), Is.True);
            int pnOffset = parsed.PacketNumberOffset;
            Assert.That(server.TryRemoveHeaderProtection(packet, pnOffset, out int pnLength), Is.True);
            long pn = PacketNumber.Decode(0, PacketNumber.ReadTruncated(packet.AsSpan(pnOffset), pnLength), pnLength);
            Assert.That(pn, Is.EqualTo(1));
            Assert.That(server.TryDecrypt(packet, pnOffset + pnLength, pn, out int length), Is.True);
            Assert.That(ToHex(packet.AsSpan(pnOffset + pnLength, length)), Is.EqualTo(ToHex(payload)));
        }
    }

    [Test]
    public void A5_chacha20_short_header_packet_is_reproduced_and_reversed()
    {
        byte[] secret = Hex(ChaChaSecret);
        Span<byte> key = stackalloc byte[32];
        Span<byte> iv = stackalloc byte[12];
        Span<byte> hp = stackalloc byte[32];
        PacketProtection.DeriveKeys(TlsCipherSuite.ChaCha20Poly1305Sha256, secret, key, iv, hp);
        Assert.That(ToHex(key), Is.EqualTo("c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8"));
        Assert.That(ToHex(iv), Is.EqualTo("e0459b3474bdd0e44a41c144"));
        Assert.That(ToHex(hp), Is.EqualTo("25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4"));
        Span<byte> ku = stackalloc byte[32];
        PacketProtection.DeriveNextSecret(TlsCipherSuite.ChaCha20Poly1305Sha256, secret, ku);
        Assert.That(ToHex(ku), Is.EqualTo(ChaChaKeyUpdateSecret));

        var packet = new byte[4 + 1 + PacketProtection.TagLength];
        Hex(ChaChaUnprotectedHeader).CopyTo(packet, 0);
        packet[4] = 0x01; // PING
        using var keys = PacketProtection.Create(TlsCipherSuite.ChaCha20Poly1305Sha256, secret);
        keys.Protect(packet, 4, ChaChaPacketNumber);
        Assert.That(ToHex(packet), Is.EqualTo(ChaChaPacket));

        Assert.That(PacketHeader.TryParse(packet, 0, out PacketHeader header), Is.True);
        Assert.That(header.Type, Is.EqualTo(PacketType.OneRtt));
        Assert.That(keys.TryRemoveHeaderProtection(packet, header.PacketNumberOffset, out int pnLength), Is.True);
        Assert.That(pnLength, Is.EqualTo(3));
        long pn = PacketNumber.Decode(ChaChaPacketNumber - 1, PacketNumber.ReadTruncated(packet.AsSpan(1), pnLength), pnLength);
        Assert.That(pn, Is.EqualTo(ChaChaPacketNumber));
        Assert.That(keys.TryDecrypt(packet, 1 + pnLength, pn, out int payloadLength), Is.True);
        Assert.That((payloadLength, packet[4]), Is.EqualTo((1, (byte)0x01)));
    }

    [Test]
    public void ChaCha20_block_function_matches_rfc8439_section_2_3_2()
    {
        byte[] key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] nonce = Convert.FromHexString("000000090000004a00000000");
        Span<byte> block = stackalloc byte[64];
        ChaCha20Block.Keystream(key, 1, nonce, block);
        Assert.That(ToHex(block), Is.EqualTo(
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" +
            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"));
    }

    [TestCase(TlsCipherSuite.Aes128GcmSha256, 32)]
    [TestCase(TlsCipherSuite.Aes256GcmSha384, 48)]
    [TestCase(TlsCipherSuite.ChaCha20Poly1305Sha256, 32)]
    public void Round_trips_and_detects_tampering_for_every_suite(TlsCipherSuite suite, int secretLength)
    {
        byte[] secret = Enumerable.Range(1, secretLength).Select(i => (byte)i).ToArray();
        using var sender = PacketProtection.Create(suite, secret);
        using var receiver = PacketProtection.Create(suite, secret);
        byte[] dcid = [1, 2, 3, 4, 5, 6, 7, 8];
        var packet = new byte[1200];
        int headerLength = PacketWriter.WriteShortHeader(packet, dcid, 0x1234, 2, spinBit: true, keyPhase: true);
        for (int i = headerLength; i < packet.Length - 16; i++) packet[i] = (byte)i;
        byte[] plain = packet.ToArray();
        sender.Protect(packet, headerLength, 0x1234);
        Assert.That(packet.AsSpan(headerLength, 100).SequenceEqual(plain.AsSpan(headerLength, 100)), Is.False);

        byte[] tampered = packet.ToArray();
        tampered[600] ^= 1;

        Assert.That(receiver.TryRemoveHeaderProtection(packet, 9, out int pnLength), Is.True);
        Assert.That(pnLength, Is.EqualTo(2));
        Assert.That(PacketHeader.GetKeyPhase(packet[0]), Is.True);
        Assert.That(receiver.TryDecrypt(packet, headerLength, 0x1234, out int length), Is.True);
        Assert.That(packet.AsSpan(0, headerLength + length).SequenceEqual(plain.AsSpan(0, headerLength + length)), Is.True);

        Assert.That(receiver.TryRemoveHeaderProtection(tampered, 9, out _), Is.True);
        Assert.That(receiver.TryDecrypt(tampered, headerLength, 0x1234, out _), Is.False);
    }

    [Test]
    public void Next_key_phase_changes_the_aead_key_but_keeps_header_protection()
    {
        byte[] secret = Hex(ChaChaSecret);
        using var phase0 = PacketProtection.Create(TlsCipherSuite.Aes128GcmSha256, secret);
        using var phase1 = phase0.NextKeyPhase();
        using var expected = PacketProtection.Create(TlsCipherSuite.Aes128GcmSha256, DeriveNext(secret));
        var a = new byte[64];
        var b = new byte[64];
        PacketWriter.WriteShortHeader(a, [9, 9], 7, 1, false, true);
        PacketWriter.WriteShortHeader(b, [9, 9], 7, 1, false, true);
        phase1.Protect(a, 4, 7);
        expected.Protect(b, 4, 7);
        // Same AEAD output; header protection differs (phase1 keeps phase0's hp key).
        Assert.That(a.AsSpan(4).SequenceEqual(b.AsSpan(4)), Is.True);
        Assert.That(phase0.TryRemoveHeaderProtection(a, 3, out int pnLength), Is.True);
        Assert.That((pnLength, a[3]), Is.EqualTo((1, (byte)7)));
        Assert.That(phase0.TryDecrypt(a.ToArray(), 4, 7, out _), Is.False);
        Assert.That(phase1.TryDecrypt(a, 4, 7, out _), Is.True);
    }

    [TestCase(1, 3)]
    [TestCase(2, 2)]
    [TestCase(3, 1)]
    [TestCase(4, 0)]
    public void Minimum_payload_makes_the_sample_fit(int packetNumberLength, int expected)
    {
        Assert.That(PacketProtection.GetMinimumPayloadLength(packetNumberLength), Is.EqualTo(expected));
        using var keys = PacketProtection.Create(TlsCipherSuite.Aes128GcmSha256, new byte[32]);
        var packet = new byte[PacketWriter.GetShortHeaderLength(0, packetNumberLength) + expected + PacketProtection.TagLength];
        int headerLength = PacketWriter.WriteShortHeader(packet, [], 1, packetNumberLength, false, false);
        keys.Protect(packet, headerLength, 1);
        Assert.That(keys.TryRemoveHeaderProtection(packet, 1, out int pnLength), Is.True);
        Assert.That(pnLength, Is.EqualTo(packetNumberLength));
        Assert.That(keys.TryDecrypt(packet, headerLength, 1, out _), Is.True);
        if (expected > 0)
            Assert.Throws<ArgumentException>(() => keys.Protect(new byte[packet.Length - 1], headerLength, 1));
    }

    [Test]
    public void Short_packets_cannot_be_sampled()
    {
        var (client, server) = PacketProtection.CreateInitial([1, 2, 3, 4, 5, 6, 7, 8]);
        using (client)
        using (server)
        {
            var packet = new byte[24];
            Assert.That(client.TryRemoveHeaderProtection(packet, 5, out _), Is.False);
            Assert.That(client.TryRemoveHeaderProtection(packet, 4, out _), Is.True);
            Assert.That(client.TryDecrypt(new byte[20], 5, 0, out _), Is.False);
        }
    }

    [Test]
    public void Protect_and_unprotect_allocate_nothing_per_packet()
    {
        foreach (TlsCipherSuite suite in Enum.GetValues<TlsCipherSuite>())
        {
            byte[] secret = new byte[suite == TlsCipherSuite.Aes256GcmSha384 ? 48 : 32];
            using var keys = PacketProtection.Create(suite, secret);
            var packet = new byte[1200];
            RoundTrip(keys, packet); // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++) RoundTrip(keys, packet);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(allocated, Is.Zero, suite.ToString());
        }

        static void RoundTrip(PacketProtection keys, byte[] packet)
        {
            int headerLength = PacketWriter.WriteShortHeader(packet, [1, 2, 3, 4], 5, 2, false, false);
            keys.Protect(packet, headerLength, 5);
            if (!keys.TryRemoveHeaderProtection(packet, 5, out _) || !keys.TryDecrypt(packet, headerLength, 5, out _))
                throw new InvalidOperationException("round trip failed");
        }
    }

    [Test]
    public void A4_retry_integrity_tag_matches_rfc9001()
    {
        byte[] retry = Hex(Retry);
        byte[] odcid = Hex(ClientDestinationConnectionId);
        Span<byte> tag = stackalloc byte[16];
        RetryIntegrity.ComputeTag(odcid, retry.AsSpan(0, retry.Length - 16), tag);
        Assert.That(ToHex(tag), Is.EqualTo("04a265ba2eff4d829058fb3f0f2496ba"));
        Assert.That(RetryIntegrity.Verify(odcid, retry), Is.True);
        retry[10] ^= 0x01;
        Assert.That(RetryIntegrity.Verify(odcid, retry), Is.False);
    }

    [Test]
    public void A4_retry_packet_is_built_and_parsed()
    {
        byte[] odcid = Hex(ClientDestinationConnectionId);
        var packet = new byte[100];
        int length = RetryPacket.Write(packet, QuicVersion.Version1, [], Hex("f067a5502a4262b5"), "token"u8, odcid, unusedBits: 0x0F);
        Assert.That(ToHex(packet.AsSpan(0, length)), Is.EqualTo(ToHex(Hex(Retry))));

        Assert.That(PacketHeader.TryParse(packet.AsSpan(0, length), 0, out PacketHeader header), Is.True);
        Assert.That(header.Type, Is.EqualTo(PacketType.Retry));
        Assert.That(header.Token.SequenceEqual("token"u8), Is.True);
        Assert.That(ToHex(header.SourceConnectionId), Is.EqualTo("f067a5502a4262b5"));
        Assert.That(RetryPacket.IsValid(header, odcid), Is.True);
        Assert.That(RetryPacket.IsValid(header, [1, 2, 3]), Is.False);

        // A Retry whose Source Connection ID repeats the client's original DCID is discarded, even with a valid tag.
        length = RetryPacket.Write(packet, QuicVersion.Version1, [], odcid, "token"u8, odcid);
        Assert.That(PacketHeader.TryParse(packet.AsSpan(0, length), 0, out header), Is.True);
        Assert.That(RetryIntegrity.Verify(odcid, header.Packet), Is.True);
        Assert.That(RetryPacket.IsValid(header, odcid), Is.False);
    }

    [Test]
    public void Aead_limits_follow_rfc9001_section_6_6()
    {
        Assert.That(AeadLimits.GetConfidentialityLimit(TlsCipherSuite.Aes128GcmSha256), Is.EqualTo(1L << 23));
        Assert.That(AeadLimits.GetIntegrityLimit(TlsCipherSuite.Aes256GcmSha384), Is.EqualTo(1L << 52));
        Assert.That(AeadLimits.GetIntegrityLimit(TlsCipherSuite.ChaCha20Poly1305Sha256), Is.EqualTo(1L << 36));
        Assert.That(AeadLimits.GetConfidentialityLimit(TlsCipherSuite.ChaCha20Poly1305Sha256), Is.GreaterThan(1L << 62));
    }

    private static byte[] DeriveNext(byte[] secret)
    {
        var next = new byte[secret.Length];
        PacketProtection.DeriveNextSecret(TlsCipherSuite.Aes128GcmSha256, secret, next);
        return next;
    }
}
