using System.Security.Cryptography;

namespace RtcClient.SFrame.Tests;

public class MediaFrameProtectionTests
{
    [Test]
    public void Required_e2e_without_a_negotiated_suite_gives_no_media_path()
    {
        using var keys = new StaticSFrameKeyProvider();
        var status = MediaFrameProtection.TryCreate(e2eRequired: true, negotiatedSuite: null, keys, out var protection);
        Assert.That(status, Is.EqualTo(MediaProtectionSetupStatus.E2ERequiredButNotNegotiated));
        Assert.That(protection, Is.Null);
    }

    [Test]
    public void Optional_e2e_without_a_suite_passes_media_through()
    {
        var status = MediaFrameProtection.TryCreate(e2eRequired: false, negotiatedSuite: null, keyProvider: null, out var protection);
        Assert.That(status, Is.EqualTo(MediaProtectionSetupStatus.Ready));
        using (protection)
        {
            Assert.That(protection!.IsEndToEndEncrypted, Is.False);
            Assert.That(protection.Protector.IsEndToEndEncrypted, Is.False);
            var frame = new byte[] { 1, 2, 3 };
            var output = new byte[3];
            Assert.That(protection.Protector.Protect(frame, [], output, out int written), Is.EqualTo(SFrameStatus.Success));
            Assert.That(output[..written], Is.EqualTo(frame));
            Assert.That(protection.Protector.Protect(frame, [], new byte[2], out _), Is.EqualTo(SFrameStatus.DestinationTooSmall));
        }
    }

    [TestCase("AES_128_GCM_SHA256_128", SFrameCipherSuite.AES_128_GCM_SHA256_128)]
    [TestCase("AES_128_CTR_HMAC_SHA256_80", SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80)]
    [TestCase("AES_256_GCM_SHA512_128", SFrameCipherSuite.AES_256_GCM_SHA512_128)]
    public void Negotiated_suite_gives_sframe_that_never_emits_clear_media(string name, SFrameCipherSuite suite)
    {
        using var aliceKeys = new StaticSFrameKeyProvider();
        using var bobKeys = new StaticSFrameKeyProvider();
        Assert.That(MediaFrameProtection.TryCreate(true, name, aliceKeys, out var alice), Is.EqualTo(MediaProtectionSetupStatus.Ready));
        Assert.That(MediaFrameProtection.TryCreate(true, name, bobKeys, out var bob), Is.EqualTo(MediaProtectionSetupStatus.Ready));
        using (alice)
        using (bob)
        {
            Assert.That(alice!.CipherSuite, Is.EqualTo(suite));
            Assert.That(alice.IsEndToEndEncrypted, Is.True);
            var frame = Enumerable.Repeat((byte)0x5A, 160).ToArray();
            var output = new byte[alice.Protector.GetMaxProtectedLength(frame.Length)];

            // Keys not there yet: the frame is dropped, no clear bytes are produced.
            Array.Fill(output, (byte)0xEE);
            Assert.That(alice.Protector.Protect(frame, [], output, out int written), Is.EqualTo(SFrameStatus.KeyMissing));
            Assert.That(written, Is.Zero);
            Assert.That(output, Is.All.EqualTo(0xEE));

            var baseKey = RandomNumberGenerator.GetBytes(16);
            aliceKeys.SetSendKey(1, baseKey);
            bobKeys.AddReceiveKey(1, baseKey);
            Assert.That(alice.Protector.Protect(frame, [], output, out written), Is.EqualTo(SFrameStatus.Success));
            Assert.That(output.AsSpan(0, written).IndexOf(frame.AsSpan(0, 8)), Is.EqualTo(-1), "no run of the clear frame in the output");

            var decoded = new byte[bob!.Unprotector.GetMaxUnprotectedLength(written)];
            Assert.That(bob.Unprotector.Unprotect(output.AsSpan(0, written), [], decoded, out int length), Is.EqualTo(SFrameStatus.Success));
            Assert.That(decoded[..length], Is.EqualTo(frame));
            Assert.That(alice.Sender!.Statistics.FramesEncrypted, Is.EqualTo(1));
            Assert.That(bob.Receiver!.Statistics.FramesDecrypted, Is.EqualTo(1));
        }
    }

    [Test]
    public void Unknown_suite_or_missing_provider_is_refused()
    {
        using var keys = new StaticSFrameKeyProvider();
        Assert.That(MediaFrameProtection.TryCreate(false, "AES_128_GCM_SHA256_64", keys, out var p1), Is.EqualTo(MediaProtectionSetupStatus.UnsupportedCipherSuite));
        Assert.That(MediaFrameProtection.TryCreate(false, "aes_128_gcm_sha256_128", keys, out _), Is.EqualTo(MediaProtectionSetupStatus.UnsupportedCipherSuite));
        Assert.That(MediaFrameProtection.TryCreate(false, "AES_128_GCM_SHA256_128", null, out var p2), Is.EqualTo(MediaProtectionSetupStatus.KeyProviderMissing));
        Assert.That(p1, Is.Null);
        Assert.That(p2, Is.Null);
    }

    [Test]
    public void Suite_names_round_trip()
    {
        foreach (var suite in SFrameCipherSuites.All)
        {
            Assert.That(SFrameCipherSuites.TryParseName(SFrameCipherSuites.GetName(suite), out var parsed), Is.True);
            Assert.That(parsed, Is.EqualTo(suite));
        }

        Assert.That(SFrameCipherSuites.TryParseName(null, out _), Is.False);
        Assert.That(SFrameCipherSuites.IsSupported((SFrameCipherSuite)0), Is.False);
        Assert.Throws<ArgumentOutOfRangeException>(() => SFrameCipherSuites.GetName((SFrameCipherSuite)0xF000));
    }
}
