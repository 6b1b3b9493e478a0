using static RtcClient.SFrame.Tests.Rfc9605Vectors;

namespace RtcClient.SFrame.Tests;

public class AesCtrHmacAeadTests
{
    [TestCaseSource(typeof(Rfc9605Vectors), nameof(CtrHmac))]
    public void Rfc9605_C2_encrypt(AeadVector vector)
    {
        Assert.That(Hex(AeadKey).AsSpan(0, 16).ToArray(), Is.EqualTo(Hex(AeadEncKey)), "enc_key is the first Nka bytes");
        Assert.That(Hex(AeadKey).AsSpan(16).ToArray(), Is.EqualTo(Hex(AeadAuthKey)), "auth_key is the remaining Nh bytes");

        var parameters = SFrameCipherSuites.GetParameters(vector.Suite);
        using var aead = SFrameAead.Create(parameters, Hex(AeadKey));
        var plaintext = Hex(Plaintext);
        var output = new byte[plaintext.Length + aead.TagLength];
        aead.Seal(Hex(AeadNonce), Hex(Aad), [], plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length));
        Assert.That(Convert.ToHexStringLower(output), Is.EqualTo(vector.Ciphertext));
    }

    [TestCaseSource(typeof(Rfc9605Vectors), nameof(CtrHmac))]
    public void Rfc9605_C2_decrypt(AeadVector vector)
    {
        var parameters = SFrameCipherSuites.GetParameters(vector.Suite);
        using var aead = SFrameAead.Create(parameters, Hex(AeadKey));
        var ct = Hex(vector.Ciphertext);
        int length = ct.Length - aead.TagLength;
        var plaintext = new byte[length];
        bool ok = aead.TryOpen(Hex(AeadNonce), Hex(Aad), [], ct.AsSpan(0, length), ct.AsSpan(length), plaintext);
        Assert.That(ok, Is.True);
        Assert.That(Convert.ToHexStringLower(plaintext), Is.EqualTo(Plaintext));
    }

    [TestCaseSource(typeof(Rfc9605Vectors), nameof(CtrHmac))]
    public void Aad_split_between_header_and_metadata_authenticates_the_same(AeadVector vector)
    {
        // SFrame passes the AAD as header + metadata; any split must give the RFC's tag.
        var parameters = SFrameCipherSuites.GetParameters(vector.Suite);
        using var aead = SFrameAead.Create(parameters, Hex(AeadKey));
        var aad = Hex(Aad);
        var ct = Hex(vector.Ciphertext);
        int length = ct.Length - aead.TagLength;
        var plaintext = new byte[length];
        Assert.That(aead.TryOpen(Hex(AeadNonce), aad.AsSpan(0, 5), aad.AsSpan(5), ct.AsSpan(0, length), ct.AsSpan(length), plaintext), Is.True);
    }

    [TestCaseSource(typeof(Rfc9605Vectors), nameof(CtrHmac))]
    public void Flipping_any_bit_fails_and_leaves_no_plaintext(AeadVector vector)
    {
        var parameters = SFrameCipherSuites.GetParameters(vector.Suite);
        using var aead = SFrameAead.Create(parameters, Hex(AeadKey));
        var original = Hex(vector.Ciphertext);
        int length = original.Length - aead.TagLength;
        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            var ct = (byte[])original.Clone();
            ct[bit / 8] ^= (byte)(1 << (bit % 8));
            var plaintext = new byte[length];
            Assert.That(aead.TryOpen(Hex(AeadNonce), Hex(Aad), [], ct.AsSpan(0, length), ct.AsSpan(length), plaintext), Is.False, $"bit {bit}");
            Assert.That(plaintext, Is.All.EqualTo(0), $"bit {bit}");
        }
    }

    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, 0)]
    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, 1)]
    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, 16)]
    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, 2047)]
    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, 2048)]
    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, 30_001)]
    public void Keystream_across_chunks_matches_a_straight_ctr_computation(SFrameCipherSuite suite, int size)
    {
        // Reference: AES-ECB over consecutive counter blocks computed in one piece.
        var parameters = SFrameCipherSuites.GetParameters(suite);
        var key = Hex(AeadKey);
        var nonce = Hex(AeadNonce);
        var plaintext = new byte[size];
        new Random(size).NextBytes(plaintext);

        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key[..16];
        int blocks = (size + 15) / 16;
        var counters = new byte[blocks * 16];
        for (int b = 0; b < blocks; b++)
        {
            nonce.CopyTo(counters, b * 16);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(counters.AsSpan(b * 16 + 12), (uint)b);
        }

        var keystream = aes.EncryptEcb(counters, System.Security.Cryptography.PaddingMode.None);
        var expected = new byte[size];
        for (int i = 0; i < size; i++)
        {
            expected[i] = (byte)(plaintext[i] ^ keystream[i]);
        }

        using var aead = SFrameAead.Create(parameters, key);
        var ciphertext = new byte[size];
        aead.Seal(nonce, [], [], plaintext, ciphertext, new byte[aead.TagLength]);
        Assert.That(ciphertext, Is.EqualTo(expected));
    }
}
