namespace RtcClient.SFrame.Tests;

/// <summary>The per-frame path allocates nothing once keys are derived (the benchmark shows the same).</summary>
public class AllocationTests
{
    [TestCase(SFrameCipherSuite.AES_128_GCM_SHA256_128, 160, 0)]
    [TestCase(SFrameCipherSuite.AES_128_GCM_SHA256_128, 30_000, 0)]
    [TestCase(SFrameCipherSuite.AES_128_GCM_SHA256_128, 160, 40)]
    [TestCase(SFrameCipherSuite.AES_256_GCM_SHA512_128, 160, 0)]
    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, 160, 0)]
    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80, 30_000, 0)]
    [TestCase(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_32, 160, 40)]
    public void Protect_and_unprotect_allocate_nothing_in_steady_state(SFrameCipherSuite suite, int frameLength, int metadataLength)
    {
        using var link = new OneWayLink(suite);
        var frame = new byte[frameLength];
        var metadata = new byte[metadataLength];
        var wire = new byte[link.Sender.GetMaxProtectedLength(frameLength)];
        var decoded = new byte[frameLength];

        void RoundTrip()
        {
            link.Sender.Protect(frame, metadata, wire, out int written);
            var status = link.Receiver.Unprotect(wire.AsSpan(0, written), metadata, decoded, out _);
            if (status != SFrameStatus.Success)
            {
                Assert.Fail(status.ToString());
            }
        }

        for (int i = 0; i < 200; i++)
        {
            RoundTrip(); // warm-up: key derivation, JIT, pools
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++)
        {
            RoundTrip();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
