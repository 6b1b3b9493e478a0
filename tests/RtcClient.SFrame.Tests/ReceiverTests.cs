using System.Security.Cryptography;

namespace RtcClient.SFrame.Tests;

public class ReceiverTests
{
    private static readonly SFrameCipherSuite[] Suites = [.. SFrameCipherSuites.All];

    private static byte[] Frame(int length = 160) => RandomNumberGenerator.GetBytes(length);

    [TestCaseSource(nameof(Suites))]
    public void Round_trip_with_metadata(SFrameCipherSuite suite)
    {
        using var link = new OneWayLink(suite);
        var metadata = RandomNumberGenerator.GetBytes(300); // longer than the stack AAD buffer
        for (int i = 0; i < 5; i++)
        {
            var frame = Frame(100 + i);
            var (status, output, _) = link.Unprotect(link.Protect(frame, metadata), metadata);
            Assert.That(status, Is.EqualTo(SFrameStatus.Success));
            Assert.That(output, Is.EqualTo(frame));
        }

        Assert.That(link.Receiver.Statistics, Is.EqualTo(new SFrameReceiverStatistics(5, 0, 0, 0, 0)));
    }

    [TestCaseSource(nameof(Suites))]
    public void Tampered_ciphertext_header_tag_or_metadata_is_dropped_and_counted(SFrameCipherSuite suite)
    {
        using var link = new OneWayLink(suite, keyId: 0x123);
        var frame = Frame();
        var metadata = new byte[] { 1, 2, 3 };
        var tamperings = new (string Name, Func<byte[], byte[]> Alter, bool AlterMetadata)[]
        {
            ("ciphertext", p => Flip(p, p.Length / 2), false),
            ("header CTR", p => Flip(p, 0, 0x02), false), // compact CTR 1 becomes 3, not yet seen
            ("tag", p => Flip(p, p.Length - 1), false),
            ("metadata", p => p, true),
        };

        int expectedFailures = 0;
        foreach (var (name, alter, alterMetadata) in tamperings)
        {
            var protectedFrame = link.Protect(frame, metadata);
            var (status, _, buffer) = link.Unprotect(alter(protectedFrame), alterMetadata ? [1, 2, 4] : metadata);

            Assert.That(status, Is.EqualTo(SFrameStatus.AuthenticationFailed), name);
            Assert.That(ContainsSubsequence(buffer, frame[..16]), Is.False, $"{name}: no plaintext left behind");
            expectedFailures++;
            Assert.That(link.Receiver.Statistics.AuthenticationFailures, Is.EqualTo(expectedFailures), name);
            Assert.That(link.AuthenticationFailedEvents, Has.Count.EqualTo(expectedFailures), name);
            Assert.That(link.AuthenticationFailedEvents[^1].KeyId, Is.EqualTo(0x123UL), name);

            // The genuine frame still decrypts afterwards: a forgery does not poison the stream.
            var (genuine, output, _) = link.Unprotect(protectedFrame, metadata);
            Assert.That(genuine, Is.EqualTo(SFrameStatus.Success), name);
            Assert.That(output, Is.EqualTo(frame), name);
        }

        Assert.That(link.Receiver.Statistics.FramesDecrypted, Is.EqualTo(tamperings.Length));
    }

    [TestCaseSource(nameof(Suites))]
    public void Replayed_frame_is_dropped(SFrameCipherSuite suite)
    {
        using var link = new OneWayLink(suite);
        var protectedFrame = link.Protect(Frame());

        Assert.That(link.Unprotect(protectedFrame).Status, Is.EqualTo(SFrameStatus.Success));
        Assert.That(link.Unprotect(protectedFrame).Status, Is.EqualTo(SFrameStatus.Replayed));
        Assert.That(link.Unprotect(protectedFrame).Status, Is.EqualTo(SFrameStatus.Replayed));
        Assert.That(link.Receiver.Statistics, Is.EqualTo(new SFrameReceiverStatistics(1, 0, 0, 2, 0)));
    }

    [Test]
    public void Reordered_frames_inside_the_window_are_accepted_older_ones_are_not()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128, replayWindow: 64);
        var frames = Enumerable.Range(0, 200).Select(_ => link.Protect(Frame(20))).ToArray();

        Assert.That(link.Unprotect(frames[100]).Status, Is.EqualTo(SFrameStatus.Success));
        Assert.That(link.Unprotect(frames[37]).Status, Is.EqualTo(SFrameStatus.Success), "100 - 37 = 63 < 64");
        Assert.That(link.Unprotect(frames[36]).Status, Is.EqualTo(SFrameStatus.Replayed), "100 - 36 = 64: too old");
        Assert.That(link.Unprotect(frames[99]).Status, Is.EqualTo(SFrameStatus.Success));
        Assert.That(link.Unprotect(frames[99]).Status, Is.EqualTo(SFrameStatus.Replayed));
        Assert.That(link.Unprotect(frames[199]).Status, Is.EqualTo(SFrameStatus.Success));
        Assert.That(link.Unprotect(frames[150]).Status, Is.EqualTo(SFrameStatus.Success));
        Assert.That(link.Unprotect(frames[100]).Status, Is.EqualTo(SFrameStatus.Replayed), "slid out of the window");
    }

    [Test]
    public void Forged_frame_with_a_huge_counter_does_not_move_the_window()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_32);
        var genuine = link.Protect(Frame(40));
        var forged = new byte[40];
        new SFrameHeader(1, ulong.MaxValue).TryEncode(forged, out _);

        Assert.That(link.Unprotect(forged).Status, Is.EqualTo(SFrameStatus.AuthenticationFailed));
        Assert.That(link.Unprotect(genuine).Status, Is.EqualTo(SFrameStatus.Success));
    }

    [Test]
    public void Unknown_kid_raises_key_missing_and_returns_nothing()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128, keyId: 7);
        link.ReceiverKeys.RemoveKey(7);
        var protectedFrame = link.Protect(Frame());

        var (status, output, buffer) = link.Unprotect(protectedFrame);

        Assert.That(status, Is.EqualTo(SFrameStatus.KeyMissing));
        Assert.That(output, Is.Empty);
        Assert.That(buffer, Is.All.EqualTo(0xEE), "destination untouched");
        Assert.That(link.MissingKeyEvents.Single().KeyId, Is.EqualTo(7UL));
        Assert.That(link.MissingKeyEvents.Single().Counter, Is.Zero);
        Assert.That(link.Receiver.Statistics.KeyMissing, Is.EqualTo(1));
    }

    [Test]
    public void Key_arriving_late_lets_later_frames_through()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128, keyId: 9);
        link.ReceiverKeys.RemoveKey(9);
        Assert.That(link.Unprotect(link.Protect(Frame())).Status, Is.EqualTo(SFrameStatus.KeyMissing));

        link.ReceiverKeys.AddReceiveKey(9, link.BaseKey);
        Assert.That(link.Unprotect(link.Protect(Frame())).Status, Is.EqualTo(SFrameStatus.Success));
    }

    [TestCaseSource(nameof(Suites))]
    public void Wrong_key_is_an_authentication_failure(SFrameCipherSuite suite)
    {
        using var link = new OneWayLink(suite);
        link.ReceiverKeys.AddReceiveKey(1, RandomNumberGenerator.GetBytes(16));

        Assert.That(link.Unprotect(link.Protect(Frame())).Status, Is.EqualTo(SFrameStatus.AuthenticationFailed));
        Assert.That(link.AuthenticationFailedEvents, Has.Count.EqualTo(1));
    }

    [Test]
    public void Removed_key_stops_decryption()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80);
        Assert.That(link.Unprotect(link.Protect(Frame())).Status, Is.EqualTo(SFrameStatus.Success));

        link.ReceiverKeys.RemoveKey(1);
        Assert.That(link.Unprotect(link.Protect(Frame())).Status, Is.EqualTo(SFrameStatus.KeyMissing));
    }

    [Test]
    public void Key_registered_for_sending_is_not_usable_for_receiving()
    {
        using var keys = new StaticSFrameKeyProvider();
        keys.SetSendKey(5, new byte[16]);
        using var sender = new SFrameSender(keys, new SFrameSenderOptions());
        using var receiver = new SFrameReceiver(keys, new SFrameReceiverOptions());
        var output = new byte[100];
        Assert.That(sender.Protect(new byte[10], [], output, out int written), Is.EqualTo(SFrameStatus.Success));

        Assert.That(receiver.Unprotect(output.AsSpan(0, written), [], new byte[100], out _), Is.EqualTo(SFrameStatus.KeyMissing));
        Assert.Throws<InvalidOperationException>(() => keys.AddReceiveKey(5, new byte[16]));
    }

    [TestCase("", TestName = "empty frame")]
    [TestCase("99", TestName = "truncated header")]
    [TestCase("0807aabbccddeeff00112233445566778899", TestName = "non-minimal header")]
    [TestCase("00aabbccddeeff0011223344556677", TestName = "shorter than the tag")]
    public void Malformed_frames_are_counted(string hex)
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128);
        Assert.That(link.Unprotect(Convert.FromHexString(hex)).Status, Is.EqualTo(SFrameStatus.MalformedFrame));
        Assert.That(link.Receiver.Statistics.MalformedFrames, Is.EqualTo(1));
    }

    [Test]
    public void Key_cache_is_bounded_and_evicted_keys_are_derived_again()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128, keyId: 1, maxCachedKeys: 2);
        var frames = new List<byte[]>();
        for (ulong kid = 1; kid <= 4; kid++)
        {
            link.SenderKeys.SetSendKey(kid, link.BaseKey);
            link.ReceiverKeys.AddReceiveKey(kid, link.BaseKey);
            frames.Add(link.Protect(Frame(30)));
            frames.Add(link.Protect(Frame(30)));
        }

        // Interleave KIDs so the two-entry cache keeps evicting.
        foreach (int i in new[] { 0, 2, 4, 6, 1, 3, 5, 7 })
        {
            Assert.That(link.Unprotect(frames[i]).Status, Is.EqualTo(SFrameStatus.Success), $"frame {i}");
        }
    }

    [Test]
    public void Forged_frames_under_other_valid_kids_cannot_evict_a_streams_replay_state()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128, keyId: 1, maxCachedKeys: 1);
        var first = link.Protect(Frame(30));
        Assert.That(link.Unprotect(first).Status, Is.EqualTo(SFrameStatus.Success));

        // KID 2 is known to the receiver, but these frames were not made with its key.
        link.ReceiverKeys.AddReceiveKey(2, RandomNumberGenerator.GetBytes(16));
        for (int i = 0; i < 10; i++)
        {
            var forged = RandomNumberGenerator.GetBytes(40);
            new SFrameHeader(2, (ulong)i).TryEncode(forged, out _);
            Assert.That(link.Unprotect(forged).Status, Is.EqualTo(SFrameStatus.AuthenticationFailed));
        }

        Assert.That(link.Unprotect(first).Status, Is.EqualTo(SFrameStatus.Replayed), "KID 1's window survived");
    }

    [Test]
    public void Too_small_destination_is_reported_without_consuming_the_counter()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128);
        var protectedFrame = link.Protect(Frame(100));
        Assert.That(link.Receiver.Unprotect(protectedFrame, [], new byte[99], out _), Is.EqualTo(SFrameStatus.DestinationTooSmall));
        Assert.That(link.Unprotect(protectedFrame).Status, Is.EqualTo(SFrameStatus.Success));
    }

    [Test]
    public void Overlapping_buffers_are_a_caller_error()
    {
        using var link = new OneWayLink(SFrameCipherSuite.AES_128_GCM_SHA256_128);
        var protectedFrame = link.Protect(Frame(100));
        Assert.Throws<ArgumentException>(() => link.Receiver.Unprotect(protectedFrame, [], protectedFrame, out _));
    }

    private static byte[] Flip(byte[] data, int index, byte mask = 0x01)
    {
        var copy = (byte[])data.Clone();
        copy[index] ^= mask;
        return copy;
    }

    private static bool ContainsSubsequence(byte[] haystack, byte[] needle) =>
        haystack.AsSpan().IndexOf(needle) >= 0;
}
