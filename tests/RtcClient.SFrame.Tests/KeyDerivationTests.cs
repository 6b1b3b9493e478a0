using static RtcClient.SFrame.Tests.Rfc9605Vectors;

namespace RtcClient.SFrame.Tests;

public class KeyDerivationTests
{
    [TestCaseSource(typeof(Rfc9605Vectors), nameof(SFrame))]
    public void Rfc9605_C3_labels(SFrameVector vector)
    {
        Assert.That(Convert.ToHexStringLower(SFrameKeyDerivation.KeyLabel(KeyId, vector.Suite)), Is.EqualTo(vector.KeyLabel));
        Assert.That(Convert.ToHexStringLower(SFrameKeyDerivation.SaltLabel(KeyId, vector.Suite)), Is.EqualTo(vector.SaltLabel));
    }

    [TestCaseSource(typeof(Rfc9605Vectors), nameof(SFrame))]
    public void Rfc9605_C3_secret(SFrameVector vector)
    {
        var parameters = SFrameCipherSuites.GetParameters(vector.Suite);
        var secret = new byte[parameters.Nh];
        SFrameKeyDerivation.ExtractSecret(parameters.Hash, Hex(BaseKey), secret);
        Assert.That(Convert.ToHexStringLower(secret), Is.EqualTo(vector.Secret));
    }

    [TestCaseSource(typeof(Rfc9605Vectors), nameof(SFrame))]
    public void Rfc9605_C3_key_and_salt(SFrameVector vector)
    {
        var parameters = SFrameCipherSuites.GetParameters(vector.Suite);
        var key = new byte[parameters.Nk];
        var salt = new byte[parameters.Nn];
        SFrameKeyDerivation.DeriveKeyAndSalt(vector.Suite, KeyId, Hex(BaseKey), key, salt);
        Assert.That(Convert.ToHexStringLower(key), Is.EqualTo(vector.Key));
        Assert.That(Convert.ToHexStringLower(salt), Is.EqualTo(vector.Salt));
    }

    [TestCaseSource(typeof(Rfc9605Vectors), nameof(SFrame))]
    public void Rfc9605_C3_nonce_is_salt_xor_counter(SFrameVector vector)
    {
        using var key = SFrameKey.Derive(vector.Suite, KeyId, Hex(BaseKey));
        Span<byte> nonce = stackalloc byte[12];
        Assert.That(Convert.ToHexStringLower(key.FormNonce(Counter, nonce)), Is.EqualTo(vector.Nonce));
    }

    [Test]
    public void Different_kids_give_different_keys()
    {
        var a = new byte[16];
        var b = new byte[16];
        var salt = new byte[12];
        SFrameKeyDerivation.DeriveKeyAndSalt(SFrameCipherSuite.AES_128_GCM_SHA256_128, 1, Hex(BaseKey), a, salt);
        SFrameKeyDerivation.DeriveKeyAndSalt(SFrameCipherSuite.AES_128_GCM_SHA256_128, 2, Hex(BaseKey), b, salt);
        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void Wrong_output_sizes_and_weak_base_keys_are_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            SFrameKeyDerivation.DeriveKeyAndSalt(SFrameCipherSuite.AES_128_GCM_SHA256_128, 1, Hex(BaseKey), new byte[32], new byte[12]));
        Assert.Throws<ArgumentException>(() =>
            SFrameKeyDerivation.DeriveKeyAndSalt(SFrameCipherSuite.AES_128_GCM_SHA256_128, 1, Hex(BaseKey), new byte[16], new byte[16]));
        Assert.Throws<ArgumentException>(() =>
            SFrameKeyDerivation.DeriveKeyAndSalt(SFrameCipherSuite.AES_128_GCM_SHA256_128, 1, new byte[8], new byte[16], new byte[12]));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SFrameKeyDerivation.DeriveKeyAndSalt((SFrameCipherSuite)0x0006, 1, Hex(BaseKey), new byte[16], new byte[12]));
    }
}
