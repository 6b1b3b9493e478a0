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
        await using var e2eCall = await PairedCall.StartAsync(e2e, cancellationToken);
        var (observer, call, answered) = (e2eCall.Observer, e2eCall.Call, e2eCall.Answered);
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
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task DtmfTravelsBothWaysAndTheRelaySeesOnlyProtectedEventsWhenE2eIsOn(bool e2e, CancellationToken cancellationToken)
    {
        await using var e2eCall = await PairedCall.StartAsync(e2e, cancellationToken);
        var (observer, call, answered) = (e2eCall.Observer, e2eCall.Call, e2eCall.Answered);
        Assert.That(call.Directive!.E2e is not null, Is.EqualTo(e2e));
        var (atAlice, atBob) = PlayTones(call, answered);
        await Task.WhenAll(atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken), atAlice.WaitForToneAsync(500, ToneTimeout, cancellationToken));

        var atBobDigits = new DigitCollector(answered);
        var atAliceDigits = new DigitCollector(call);
        Assert.That(call.SendDtmf("159#"), Is.True);
        Assert.That(answered.SendDtmf("*0"), Is.True);
        await Task.WhenAll(atBobDigits.WaitForAsync(4, cancellationToken), atAliceDigits.WaitForAsync(2, cancellationToken));
        // The tone resumes after the digits: the events did not disturb the audio.
        await Task.WhenAll(atBob.WaitForToneAsync(1000, ToneTimeout, cancellationToken), atAlice.WaitForToneAsync(500, ToneTimeout, cancellationToken));

        var events = observer.PayloadsOfType(101);
        Assert.Multiple(() =>
        {
            Assert.That(atBobDigits.Digits, Is.EqualTo("159#"));
            Assert.That(atAliceDigits.Digits, Is.EqualTo("*0"));
            Assert.That(events, Has.Length.GreaterThanOrEqualTo(6 * 4), "each digit is several RFC 4733 packets");
        });
        if (!e2e)
        {
            // The control: without E2E the relay reads every event (RFC 4733: event, E/R/volume, duration).
            Assert.That(events, Has.All.Length.EqualTo(4));
            Assert.That(events.Select(p => p[0]).Distinct().Order(), Is.EqualTo(new byte[] { 0, 1, 5, 9, 10, 11 }));
            return;
        }
        Assert.Multiple(() =>
        {
            foreach (var payload in events)
            {
                Assert.That(SFrameHeader.TryDecode(payload, out var header, out int consumed), Is.EqualTo(SFrameHeaderStatus.Valid));
                Assert.That(header.KeyId, Is.AnyOf(1UL, 2UL));
                Assert.That(payload.Length, Is.EqualTo(consumed + 4 + 16), "header, the 4-byte event, GCM tag");
            }
        });
        var stats = answered.GetStatistics().E2e!;
        Assert.That((stats.FramesDropped, stats.AuthenticationFailures), Is.EqualTo((0L, 0L)));
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

    [Test]
    public async Task VideoFramesAreProtectedAndDecodeAtTheFarEnd(CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        using var aliceKeys = new StaticSFrameKeyProvider();
        using var bobKeys = new StaticSFrameKeyProvider();
        Pair(aliceKeys, bobKeys);
        var video = Advertisements.WithVideo(160, 120, 15, 200_000);
        var alice = await harness.ConnectAsync("alice", video, o => o.SFrameKeyProvider = aliceKeys, cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", video, o => o.SFrameKeyProvider = bobKeys, cancellationToken: cancellationToken);
        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        Assert.That(call.Directive!.E2e, Is.Not.Null);
        call.VideoSource = new SyntheticVideoFrameSource(160, 120, 15);
        answered.VideoSource = new SyntheticVideoFrameSource(160, 120, 15);
        var atBob = new VideoFrameCollector();
        var atAlice = new VideoFrameCollector();
        answered.VideoSink = atBob;
        call.VideoSink = atAlice;

        await Eventually.ThatAsync(() => atBob.Sizes.Length >= 5 && atAlice.Sizes.Length >= 5, "5 decoded pictures each way", cancellationToken);
        var stats = answered.GetStatistics();
        Assert.Multiple(() =>
        {
            Assert.That(atBob.Sizes, Has.All.EqualTo((160, 120)));
            Assert.That(stats.E2e!.FramesDropped, Is.Zero);
            Assert.That(stats.E2e.FramesDecrypted, Is.GreaterThan(stats.AudioReceive!.PacketsReceived), "video frames were decrypted too");
        });
    }

    /// <summary>A G.711 call between alice and bob through the relay, with paired SFrame keys when <c>e2e</c>, and the relay observed.</summary>
    private sealed class PairedCall : IAsyncDisposable
    {
        private readonly MediaCallHarness _harness;
        private readonly StaticSFrameKeyProvider _aliceKeys = new(), _bobKeys = new();

        private PairedCall(MediaCallHarness harness) => _harness = harness;

        public RecordingRelayObserver Observer { get; } = new();
        public Call Call { get; private set; } = null!;
        public Call Answered { get; private set; } = null!;

        public static async Task<PairedCall> StartAsync(bool e2e, CancellationToken cancellationToken)
        {
            var paired = new PairedCall(await MediaCallHarness.StartAsync());
            paired._harness.Relay.Observer = paired.Observer;
            Pair(paired._aliceKeys, paired._bobKeys);
            var alice = await paired._harness.ConnectAsync("alice", Advertisements.G711Only, o => o.SFrameKeyProvider = e2e ? paired._aliceKeys : null, cancellationToken: cancellationToken);
            var bob = await paired._harness.ConnectAsync("bob", Advertisements.G711Only, o => o.SFrameKeyProvider = e2e ? paired._bobKeys : null, cancellationToken: cancellationToken);
            (paired.Call, paired.Answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
            return paired;
        }

        public async ValueTask DisposeAsync()
        {
            await _harness.DisposeAsync();
            _aliceKeys.Dispose();
            _bobKeys.Dispose();
        }
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
