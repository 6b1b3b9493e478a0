using static RtcClient.SFrame.Tests.Rfc9605Vectors;

namespace RtcClient.SFrame.Tests;

/// <summary>RFC 9605 Appendix C.3 through the public sender and receiver.</summary>
public class EncryptionVectorTests
{
    [TestCaseSource(typeof(Rfc9605Vectors), nameof(SFrame))]
    public void Rfc9605_C3_encrypt(SFrameVector vector)
    {
        using var keys = new StaticSFrameKeyProvider();
        keys.SetSendKey(KeyId, Hex(BaseKey));
        using var sender = new SFrameSender(keys, new SFrameSenderOptions { CipherSuite = vector.Suite, InitialCounter = Counter });
        var output = new byte[sender.GetMaxProtectedLength(Hex(Plaintext).Length)];

        var status = sender.Protect(Hex(Plaintext), Hex(Metadata), output, out int written);

        Assert.That(status, Is.EqualTo(SFrameStatus.Success));
        Assert.That(Convert.ToHexStringLower(output.AsSpan(0, written)), Is.EqualTo(vector.Ciphertext));
        Assert.That(Convert.ToHexStringLower(output.AsSpan(0, 5)) + Metadata, Is.EqualTo(SFrameAad), "AAD = header + metadata");
        Assert.That(sender.Statistics.FramesEncrypted, Is.EqualTo(1));
    }

    [TestCaseSource(typeof(Rfc9605Vectors), nameof(SFrame))]
    public void Rfc9605_C3_decrypt(SFrameVector vector)
    {
        using var keys = new StaticSFrameKeyProvider();
        keys.AddReceiveKey(KeyId, Hex(BaseKey));
        using var receiver = new SFrameReceiver(keys, new SFrameReceiverOptions { CipherSuite = vector.Suite });
        var ct = Hex(vector.Ciphertext);
        var output = new byte[receiver.GetMaxUnprotectedLength(ct.Length)];

        var status = receiver.Unprotect(ct, Hex(Metadata), output, out int written);

        Assert.That(status, Is.EqualTo(SFrameStatus.Success));
        Assert.That(Convert.ToHexStringLower(output.AsSpan(0, written)), Is.EqualTo(Plaintext));
        Assert.That(receiver.Statistics.FramesDecrypted, Is.EqualTo(1));
    }

    [TestCaseSource(typeof(Rfc9605Vectors), nameof(SFrame))]
    public void Rfc9605_C3_needs_the_same_metadata(SFrameVector vector)
    {
        using var keys = new StaticSFrameKeyProvider();
        keys.AddReceiveKey(KeyId, Hex(BaseKey));
        using var receiver = new SFrameReceiver(keys, new SFrameReceiverOptions { CipherSuite = vector.Suite });
        var output = new byte[64];

        var status = receiver.Unprotect(Hex(vector.Ciphertext), [], output, out int written);

        Assert.That(status, Is.EqualTo(SFrameStatus.AuthenticationFailed));
        Assert.That(written, Is.Zero);
        Assert.That(receiver.Statistics.AuthenticationFailures, Is.EqualTo(1));
    }
}
