using RtcClient.Media;
using RtcClient.Media.Io;
using RtcClient.SFrame;

namespace RtcClient.Tests.Media;

[CancelAfter(60_000)]
public class E2eCallTests
{
    private static readonly TimeSpan ToneTimeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] AliceKey = Key(1), BobKey = Key(2), AliceKey2 = Key(3), BobKey2 = Key(4);

    [TestCase(true)]
    [TestCase(false)]
    public async Task RelayForwardsOnlyCiphertextWhenE2eIsOn(bool e2e, CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        var observer = new RecordingRelayObserver();
        harness.Relay.Observer = observer;
        using var aliceKeys = new StaticSFrameKeyProvider();
        using var bobKeys = new StaticSFrameKeyProvider();
        Pair(aliceKeys, bobKeys);
        var alice = await harness.ConnectAsync("alice", Advertisements.G711Only, o => o.SFrameKeyProvider = e2e ? aliceKeys : null, cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", Advertisements.G711Only, o => o.SFrameKeyProvider = e2e ? bobKeys : null, cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        Assert.That(call.Directive!.E2e?.Suite, e2e ? Is.EqualTo("AES_128_GCM_SHA256_128") : Is.Null);

        var (atAlice, atBob) = PlayTones(call, answered);
        await Task.WhenAll(atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken), atAlice.WaitForToneAsync(500, ToneTimeout, cancellationToken));

        var clear = ClearTone.PcmuWindows(1000, 500);
        var seen = observer.AudioPayloads;
        Assert.That(seen, Has.Length.GreaterThan(20));
        if (!e2e)
        {
            // The control: without E2E the tone is plainly visible to the server.
            Assert.That(seen.Count(p => ClearTone.ContainsAny(p, clear)), Is.GreaterThan(seen.Length / 2));
            return;
        }
        Assert.Multiple(() =>
        {
            Assert.That(seen.Where(p => ClearTone.ContainsAny(p, clear)), Is.Empty, "clear tone bytes reached the server");
            foreach (var payload in seen)
            {
                Assert.That(SFrameHeader.TryDecode(payload, out var header, out int consumed), Is.EqualTo(SFrameHeaderStatus.Valid));
                Assert.That(header.KeyId, Is.AnyOf(1UL, 2UL));
                Assert.That(payload.Length, Is.EqualTo(consumed + 160 + 16), "header, G.711 frame, GCM tag");
            }
        });
        var stats = answered.GetStatistics().E2e!;
        Assert.That(stats.FramesDecrypted, Is.GreaterThanOrEqualTo(10));
        Assert.That(stats.FramesDropped, Is.Zero);
        Assert.That(call.SendDtmf("1"), Is.False, "telephone events would leave in clear");
    }

    [Test]
    public async Task AlteredFramesAreDroppedAndCountedAndKeyRotationLosesAtMostOneFrame(CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        using var aliceKeys = new StaticSFrameKeyProvider();
        using var bobKeys = new StaticSFrameKeyProvider();
        Pair(aliceKeys, bobKeys);
        TamperingMediaTransport? onPath = null;
        var alice = await harness.ConnectAsync("alice", Advertisements.G711Only, o => o.SFrameKeyProvider = aliceKeys, cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", Advertisements.G711Only, o => o.SFrameKeyProvider = bobKeys,
            t => onPath = new TamperingMediaTransport(t), cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        int failures = 0;
        answered.E2eAuthenticationFailed += (_, _) => Interlocked.Increment(ref failures);
        var (atAlice, atBob) = PlayTones(call, answered);
        await atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken);

        onPath!.FlipNext(3);
        await Eventually.ThatAsync(() => answered.GetStatistics().E2e!.AuthenticationFailures >= 3, "3 authentication failures", cancellationToken);
        await atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken);
        var afterTamper = answered.GetStatistics().E2e!;
        Assert.Multiple(() =>
        {
            Assert.That(onPath.Flipped, Is.EqualTo(3));
            Assert.That(afterTamper.AuthenticationFailures, Is.EqualTo(3));
            Assert.That(afterTamper.FramesDropped, Is.EqualTo(3));
            Assert.That(Volatile.Read(ref failures), Is.EqualTo(3));
        });

        // Rotation: each receiver learns the new key first, then the sender switches to it.
        await atAlice.WaitForToneAsync(500, ToneTimeout, cancellationToken);
        var bobBefore = answered.GetStatistics().E2e!;
        var aliceBefore = call.GetStatistics().E2e!;
        bobKeys.AddReceiveKey(3, AliceKey2);
        aliceKeys.AddReceiveKey(4, BobKey2);
        aliceKeys.SetSendKey(3, AliceKey2);
        bobKeys.SetSendKey(4, BobKey2);
        await Task.WhenAll(atBob.WaitForFramesAsync(50, cancellationToken), atAlice.WaitForFramesAsync(50, cancellationToken));
        await Task.WhenAll(atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken), atAlice.WaitForToneAsync(500, ToneTimeout, cancellationToken));
        var bobAfter = answered.GetStatistics().E2e!;
        var aliceAfter = call.GetStatistics().E2e!;
        Assert.Multiple(() =>
        {
            Assert.That(bobAfter.FramesDropped - bobBefore.FramesDropped, Is.LessThanOrEqualTo(1), "frames alice to bob lost in the rotation");
            Assert.That(aliceAfter.FramesDropped - aliceBefore.FramesDropped, Is.LessThanOrEqualTo(1), "frames bob to alice lost in the rotation");
            Assert.That(bobAfter.FramesDecrypted - bobBefore.FramesDecrypted, Is.GreaterThan(40));
            Assert.That(aliceAfter.FramesProtected - aliceBefore.FramesProtected, Is.GreaterThan(40));
        });
    }

    [Test]
    public async Task ReceiverWithoutTheKeyReportsKeyMissingAndPlaysNothing(CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        using var aliceKeys = new StaticSFrameKeyProvider();
        using var bobKeys = new StaticSFrameKeyProvider();
        aliceKeys.SetSendKey(1, AliceKey);
        aliceKeys.AddReceiveKey(2, BobKey);
        bobKeys.SetSendKey(2, BobKey); // bob never learns alice's key
        var alice = await harness.ConnectAsync("alice", Advertisements.G711Only, o => o.SFrameKeyProvider = aliceKeys, cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", Advertisements.G711Only, o => { o.SFrameKeyProvider = bobKeys; o.E2eRequired = true; }, cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        int missing = 0;
        answered.E2eKeyMissing += (_, e) =>
        {
            if (e.KeyId == 1)
                Interlocked.Increment(ref missing);
        };
        var (atAlice, atBob) = PlayTones(call, answered);

        await atAlice.WaitForToneAsync(500, ToneTimeout, cancellationToken); // the other direction works
        await atBob.WaitForFramesAsync(50, cancellationToken);
        var stats = answered.GetStatistics();
        Assert.Multiple(() =>
        {
            Assert.That(stats.AudioReceive!.PacketsReceived, Is.Zero, "frames that fail SFrame never reach the jitter buffer");
            Assert.That(stats.E2e!.KeyMissing, Is.GreaterThan(20));
            Assert.That(stats.E2e.FramesDecrypted, Is.Zero);
            Assert.That(Volatile.Read(ref missing), Is.GreaterThan(20));
            Assert.That(atBob.AudibleFrames, Is.Zero, "bob played something without the key");
        });
    }

    [Test]
    public async Task CallThatRequiresE2eSendsNothingUntilItHasASendKey(CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        var observer = new RecordingRelayObserver();
        harness.Relay.Observer = observer;
        using var aliceKeys = new StaticSFrameKeyProvider();
        using var bobKeys = new StaticSFrameKeyProvider();
        aliceKeys.AddReceiveKey(2, BobKey); // no send key yet
        bobKeys.SetSendKey(2, BobKey);
        bobKeys.AddReceiveKey(1, AliceKey);
        var alice = await harness.ConnectAsync("alice", Advertisements.G711Only, o => { o.SFrameKeyProvider = aliceKeys; o.E2eRequired = true; }, cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", Advertisements.G711Only, o => o.SFrameKeyProvider = bobKeys, cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        var (atAlice, atBob) = PlayTones(call, answered);

        await atAlice.WaitForToneAsync(500, ToneTimeout, cancellationToken);
        await atBob.WaitForFramesAsync(25, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(observer.AudioPayloadsFrom(call.Id), Is.Empty, "alice sent audio without a key");
            Assert.That(call.GetStatistics().E2e!.FramesNotSent, Is.GreaterThan(20));
            Assert.That(atBob.AudibleFrames, Is.Zero);
        });

        aliceKeys.SetSendKey(1, AliceKey);
        await atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken);
        var sent = observer.AudioPayloadsFrom(call.Id);
        Assert.That(sent, Is.Not.Empty);
        var clear = ClearTone.PcmuWindows(1000);
        Assert.That(sent.Where(p => ClearTone.ContainsAny(p, clear)), Is.Empty);
    }

    private static (ToneDetector AtAlice, ToneDetector AtBob) PlayTones(Call call, Call answered)
    {
        call.AudioSource = new ToneGenerator(new AudioFormat(8000), 8000, 1000);
        answered.AudioSource = new ToneGenerator(new AudioFormat(8000), 8000, 500);
        var atAlice = new ToneDetector(new AudioFormat(8000));
        var atBob = new ToneDetector(new AudioFormat(8000));
        call.AudioSink = atAlice;
        answered.AudioSink = atBob;
        return (atAlice, atBob);
    }

    private static void Pair(StaticSFrameKeyProvider alice, StaticSFrameKeyProvider bob)
    {
        alice.SetSendKey(1, AliceKey);
        alice.AddReceiveKey(2, BobKey);
        bob.SetSendKey(2, BobKey);
        bob.AddReceiveKey(1, AliceKey);
    }

    private static byte[] Key(byte seed) => [.. Enumerable.Range(0, 16).Select(i => (byte)(seed * 31 + i))];
}
