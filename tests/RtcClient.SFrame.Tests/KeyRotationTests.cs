using System.Security.Cryptography;

namespace RtcClient.SFrame.Tests;

/// <summary>Key changes in the middle of a two-way stream, with frames reordered in flight.</summary>
public class KeyRotationTests
{
    private const SFrameCipherSuite Suite = SFrameCipherSuite.AES_128_GCM_SHA256_128;
    private const int FramesPerDirection = 100;
    private const int SwitchAt = 50;

    [Test]
    public void Mls_epoch_change_with_keys_installed_before_the_switch_loses_nothing()
    {
        using var alice = new Member(ownIndex: 0);
        using var bob = new Member(ownIndex: 1);
        InstallEpoch(1, activate: true, alice, bob);
        var aliceToBob = new Direction(alice, bob);
        var bobToAlice = new Direction(bob, alice);

        for (int i = 0; i < FramesPerDirection; i++)
        {
            if (i == SwitchAt)
            {
                // The new epoch is usable for decryption everywhere before anyone encrypts with it.
                InstallEpoch(2, activate: false, alice, bob);
                alice.Keys.ActivateForSending(2);
                bob.Keys.ActivateForSending(2);
            }

            aliceToBob.Send(i);
            bobToAlice.Send(i);
        }

        aliceToBob.DeliverReordered(seed: 1);
        bobToAlice.DeliverReordered(seed: 2);

        Assert.That(aliceToBob.Lost, Is.Zero);
        Assert.That(bobToAlice.Lost, Is.Zero);
        Assert.That(aliceToBob.KidsSeen, Has.Count.EqualTo(2), "frames on both sides of the switch");
        Assert.That(aliceToBob.OldKeyFramesAfterNewOnes, Is.GreaterThan(0), "reordering crossed the switch");

        // Retiring the old epoch stops its frames.
        alice.Keys.RemoveEpoch(1);
        Assert.That(alice.Receiver.Unprotect(bobToAlice.Sent[0], [], new byte[256], out _), Is.EqualTo(SFrameStatus.KeyMissing));
    }

    [Test]
    public void Mls_epoch_change_seen_late_by_the_receiver_loses_at_most_one_frame_per_direction()
    {
        using var alice = new Member(ownIndex: 0);
        using var bob = new Member(ownIndex: 1);
        InstallEpoch(1, activate: true, alice, bob);
        var aliceToBob = new Direction(alice, bob);
        var bobToAlice = new Direction(bob, alice);
        var missing = new List<ulong>();
        bob.Receiver.KeyMissing += (_, e) => missing.Add(e.KeyId);

        for (int i = 0; i < FramesPerDirection; i++)
        {
            if (i == SwitchAt)
            {
                // Alice applies the commit and sends at once; Bob applies it one frame later.
                alice.AddEpoch(2, activate: true);
            }

            aliceToBob.Send(i);
            aliceToBob.DeliverAll();
            if (i == SwitchAt)
            {
                bob.AddEpoch(2, activate: true);
            }

            bobToAlice.Send(i);
            bobToAlice.DeliverAll();
        }

        Assert.That(aliceToBob.Lost, Is.LessThanOrEqualTo(1));
        Assert.That(bobToAlice.Lost, Is.LessThanOrEqualTo(1));
        Assert.That(aliceToBob.Lost, Is.EqualTo(1), "the one frame sent before Bob had the epoch");
        Assert.That(missing, Is.EqualTo(new[] { MlsSFrameKeyId.Compose(0, 0, 2, 1, 4) }), "reported as a missing key, nothing played");
        Assert.That(bob.Receiver.Statistics.AuthenticationFailures, Is.Zero);
    }

    [Test]
    public void Epoch_wraparound_invalidates_cached_keys_of_the_displaced_epoch()
    {
        using var alice = new Member(ownIndex: 0, epochBits: 1);
        using var bob = new Member(ownIndex: 1, epochBits: 1);
        InstallEpoch(1, activate: true, alice, bob);
        var aliceToBob = new Direction(alice, bob);
        aliceToBob.Send(0);
        aliceToBob.DeliverAll();
        var epoch1Frame = alice.ProtectRaw(1);

        // Epochs 1 and 3 share the low bit, so the KIDs repeat with a different base key.
        InstallEpoch(2, activate: true, alice, bob);
        InstallEpoch(3, activate: true, alice, bob);
        aliceToBob.Send(1);
        aliceToBob.DeliverAll();

        Assert.That(aliceToBob.Lost, Is.Zero, "epoch 3 frames use the new key, not a stale cached one");
        SFrameHeader.TryDecode(epoch1Frame, out var oldHeader, out _);
        SFrameHeader.TryDecode(aliceToBob.Sent[1], out var newHeader, out _);
        Assert.That(newHeader.KeyId, Is.EqualTo(oldHeader.KeyId));
        Assert.That(bob.Receiver.Unprotect(epoch1Frame, [], new byte[256], out _), Is.EqualTo(SFrameStatus.AuthenticationFailed));
    }

    [Test]
    public void Sender_key_rotation_with_the_static_provider_loses_nothing()
    {
        using var link = new OneWayLink(Suite, keyId: 0x10);
        var newKey = RandomNumberGenerator.GetBytes(16);
        var sent = new List<(byte[] Plain, byte[] Protected)>();
        for (int i = 0; i < FramesPerDirection; i++)
        {
            if (i == SwitchAt)
            {
                link.ReceiverKeys.AddReceiveKey(0x11, newKey);
                link.SenderKeys.SetSendKey(0x11, newKey);
            }

            var plain = RandomNumberGenerator.GetBytes(30);
            sent.Add((plain, link.Protect(plain)));
        }

        int received = 0;
        foreach (var (plain, protectedFrame) in Shuffle(sent, seed: 3))
        {
            var (status, output, _) = link.Unprotect(protectedFrame);
            Assert.That(status, Is.EqualTo(SFrameStatus.Success));
            Assert.That(output, Is.EqualTo(plain));
            received++;
        }

        Assert.That(received, Is.EqualTo(FramesPerDirection));
    }

    private static void InstallEpoch(ulong epoch, bool activate, params Member[] members)
    {
        foreach (var member in members)
        {
            member.AddEpoch(epoch, activate);
        }
    }

    /// <summary>Shuffles within blocks of four, so frames near the switch cross it both ways.</summary>
    private static List<T> Shuffle<T>(List<T> items, int seed)
    {
        var random = new Random(seed);
        var result = new List<T>(items);
        for (int start = 0; start < result.Count; start += 4)
        {
            int end = Math.Min(start + 4, result.Count);
            for (int i = end - 1; i > start; i--)
            {
                int j = random.Next(start, i + 1);
                (result[i], result[j]) = (result[j], result[i]);
            }
        }

        // Make sure at least one frame from before the switch lands after the switch.
        (result[SwitchAt - 1], result[SwitchAt + 1]) = (result[SwitchAt + 1], result[SwitchAt - 1]);
        return result;
    }

    /// <summary>One MLS group member with its own provider, sender and receiver.</summary>
    private sealed class Member : IDisposable
    {
        // Every member derives the same exporter output for an epoch; here a hash of the epoch stands in for MLS.
        private static byte[] ExporterOutput(ulong epoch) => SHA256.HashData(BitConverter.GetBytes(epoch))[..16];

        public Member(uint ownIndex, int epochBits = 4)
        {
            OwnIndex = ownIndex;
            Keys = new MlsSFrameKeyProvider(Suite, epochBits);
            Sender = new SFrameSender(Keys, new SFrameSenderOptions { CipherSuite = Suite });
            Receiver = new SFrameReceiver(Keys, new SFrameReceiverOptions { CipherSuite = Suite });
        }

        public uint OwnIndex { get; }

        public MlsSFrameKeyProvider Keys { get; }

        public SFrameSender Sender { get; }

        public SFrameReceiver Receiver { get; }

        public void AddEpoch(ulong epoch, bool activate) =>
            Keys.AddEpoch(epoch, ExporterOutput(epoch), groupSize: 2, OwnIndex, activate);

        public byte[] ProtectRaw(int seed)
        {
            var output = new byte[256];
            Assert.That(Sender.Protect(BitConverter.GetBytes(seed), [], output, out int written), Is.EqualTo(SFrameStatus.Success));
            return output[..written];
        }

        public void Dispose()
        {
            Sender.Dispose();
            Receiver.Dispose();
            Keys.Dispose();
        }
    }

    /// <summary>Frames from one member to another, with loss accounting.</summary>
    private sealed class Direction(Member from, Member to)
    {
        private readonly List<(byte[] Plain, byte[] Protected)> _inFlight = [];

        public List<byte[]> Sent { get; } = [];

        public int Lost { get; private set; }

        public HashSet<ulong> KidsSeen { get; } = [];

        public int OldKeyFramesAfterNewOnes { get; private set; }

        public void Send(int index)
        {
            var plain = BitConverter.GetBytes(index * 7919);
            var output = new byte[from.Sender.GetMaxProtectedLength(plain.Length)];
            Assert.That(from.Sender.Protect(plain, [], output, out int written), Is.EqualTo(SFrameStatus.Success));
            Sent.Add(output[..written]);
            _inFlight.Add((plain, output[..written]));
        }

        public void DeliverAll() => Deliver(_inFlight);

        public void DeliverReordered(int seed) => Deliver(Shuffle(_inFlight, seed));

        private void Deliver(List<(byte[] Plain, byte[] Protected)> frames)
        {
            ulong? newestKid = null;
            foreach (var (plain, protectedFrame) in frames)
            {
                SFrameHeader.TryDecode(protectedFrame, out var header, out _);
                if (newestKid is { } newest && header.KeyId != newest && KidsSeen.Contains(header.KeyId))
                {
                    OldKeyFramesAfterNewOnes++;
                }

                if (KidsSeen.Add(header.KeyId))
                {
                    newestKid = header.KeyId;
                }

                var output = new byte[256];
                var status = to.Receiver.Unprotect(protectedFrame, [], output, out int written);
                if (status == SFrameStatus.Success)
                {
                    Assert.That(output[..written], Is.EqualTo(plain), "a decrypted frame is the frame sent");
                }
                else
                {
                    Lost++;
                }
            }

            _inFlight.Clear();
        }
    }
}
