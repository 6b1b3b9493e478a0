using System.Security.Cryptography;

namespace RtcClient.SFrame.Tests;

public class MlsTests
{
    // RFC 9605 Figure 9 (E = 4, S = 6).
    [TestCase(14UL, 3U, 0UL, 0x3eUL)]
    [TestCase(14UL, 7U, 0UL, 0x7eUL)]
    [TestCase(14UL, 20U, 0UL, 0x14eUL)]
    [TestCase(15UL, 3U, 0UL, 0x3fUL)]
    [TestCase(15UL, 5U, 0UL, 0x5fUL)]
    [TestCase(16UL, 2U, 2UL, 0x820UL)]
    [TestCase(16UL, 2U, 3UL, 0xc20UL)]
    [TestCase(17UL, 33U, 0UL, 0x211UL)]
    [TestCase(17UL, 51U, 0UL, 0x331UL)]
    public void Rfc9605_figure_9_key_ids(ulong epoch, uint index, ulong context, ulong expected)
    {
        Assert.That(MlsSFrameKeyId.Compose(context, index, epoch, indexBits: 6, epochBits: 4), Is.EqualTo(expected));

        MlsSFrameKeyId.Decompose(expected, 6, 4, out ulong c, out uint i, out ulong e);
        Assert.That((c, i, e), Is.EqualTo((context, index, epoch % 16)));
    }

    [TestCase(1U, 0)]
    [TestCase(2U, 1)]
    [TestCase(3U, 2)]
    [TestCase(4U, 2)]
    [TestCase(5U, 3)]
    [TestCase(64U, 6)]
    [TestCase(65U, 7)]
    [TestCase(uint.MaxValue, 32)]
    public void Index_bits_fit_the_group(uint groupSize, int expected) =>
        Assert.That(MlsSFrameKeyId.IndexBitsForGroupSize(groupSize), Is.EqualTo(expected));

    [Test]
    public void Parts_that_do_not_fit_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MlsSFrameKeyId.Compose(0, 64, 0, 6, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlsSFrameKeyId.Compose(1UL << 54, 0, 0, 6, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlsSFrameKeyId.Compose(0, 0, 0, 32, 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlsSFrameKeyId.IndexBitsForGroupSize(0));
        Assert.That(MlsSFrameKeyId.Compose((1UL << 54) - 1, 63, 15, 6, 4), Is.EqualTo(ulong.MaxValue));
    }

    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, 48)]
    [TestCase(SFrameCipherSuite.AES_128_GCM_SHA256_128, 16)]
    [TestCase(SFrameCipherSuite.AES_256_GCM_SHA512_128, 32)]
    public void Exporter_length_is_nk(SFrameCipherSuite suite, int nk)
    {
        Assert.That(MlsSFrameKeyProvider.GetExporterLength(suite), Is.EqualTo(nk));
        Assert.That(MlsSFrameKeyProvider.ExporterLabel, Is.EqualTo("SFrame 1.0 Base Key"));
        using var provider = new MlsSFrameKeyProvider(suite, epochBits: 4);
        Assert.Throws<ArgumentException>(() => provider.AddEpoch(1, new byte[nk + 1], 2, 0));
    }

    [Test]
    public void Provider_gives_own_kid_for_sending_and_others_for_receiving()
    {
        var secret = RandomNumberGenerator.GetBytes(16);
        using var provider = new MlsSFrameKeyProvider(SFrameCipherSuite.AES_128_GCM_SHA256_128, epochBits: 4, maxReceiveContext: 3);
        provider.AddEpoch(14, secret, groupSize: 40, ownIndex: 7);
        Span<byte> key = stackalloc byte[64];

        Assert.That(provider.TryGetSendKeyId(out ulong sendKid), Is.True);
        Assert.That(sendKid, Is.EqualTo(0x7eUL), "Figure 9: epoch 14, index 7");
        Assert.That(provider.TryGetBaseKey(0x7e, SFrameKeyUsage.Encrypt, key, out int length), Is.True);
        Assert.That(key[..length].ToArray(), Is.EqualTo(secret));

        Assert.That(provider.TryGetBaseKey(0x3e, SFrameKeyUsage.Decrypt, key, out _), Is.True, "index 3");
        Assert.That(provider.TryGetBaseKey(0x14e, SFrameKeyUsage.Decrypt, key, out _), Is.True, "index 20");
        Assert.That(provider.TryGetBaseKey(0x7e, SFrameKeyUsage.Decrypt, key, out _), Is.False, "own KID is send-only");
        Assert.That(provider.TryGetBaseKey(0x3e, SFrameKeyUsage.Encrypt, key, out _), Is.False, "others' KIDs are receive-only");
        Assert.That(provider.TryGetBaseKey(MlsSFrameKeyId.Compose(0, 40, 14, 6, 4), SFrameKeyUsage.Decrypt, key, out _), Is.False, "index beyond group");
        Assert.That(provider.TryGetBaseKey(MlsSFrameKeyId.Compose(3, 3, 14, 6, 4), SFrameKeyUsage.Decrypt, key, out _), Is.True, "context 3");
        Assert.That(provider.TryGetBaseKey(MlsSFrameKeyId.Compose(4, 3, 14, 6, 4), SFrameKeyUsage.Decrypt, key, out _), Is.False, "context beyond limit");
        Assert.That(provider.TryGetBaseKey(0x3f, SFrameKeyUsage.Decrypt, key, out _), Is.False, "epoch 15 unknown");
    }

    [Test]
    public void New_epoch_with_the_same_low_bits_replaces_the_old_one()
    {
        using var provider = new MlsSFrameKeyProvider(SFrameCipherSuite.AES_128_GCM_SHA256_128, epochBits: 2);
        var changes = new List<SFrameKeysChangedEventArgs>();
        provider.KeysChanged += (_, e) => changes.Add(e);
        provider.AddEpoch(1, RandomNumberGenerator.GetBytes(16), 2, 0);
        provider.AddEpoch(2, RandomNumberGenerator.GetBytes(16), 2, 0);
        changes.Clear();

        provider.AddEpoch(5, RandomNumberGenerator.GetBytes(16), 2, 0);

        var removed = changes.Single(c => c.Change == SFrameKeyChange.Removed);
        Assert.That(removed.Matches(MlsSFrameKeyId.Compose(0, 1, 1, 1, 2)), Is.True, "epoch 1 KIDs");
        Assert.That(removed.Matches(MlsSFrameKeyId.Compose(0, 1, 2, 1, 2)), Is.False, "epoch 2 KIDs stay");
        Assert.That(provider.RemoveEpoch(1), Is.False, "epoch 1 is gone");
        Assert.That(provider.RemoveEpoch(2), Is.True);
        Assert.That(provider.SendEpoch, Is.EqualTo(5UL));
    }
}
