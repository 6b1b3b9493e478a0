using RtcClient.Media;
using RtcClient.Media.Clock;
using RtcClient.Media.Codecs;
using RtcClient.Media.Io;
using RtcClient.Media.Packetization;
using RtcClient.Media.Rtp;
using RtcClient.Server.Negotiation;

namespace RtcClient.Tests.Media;

/// <summary>
/// Each leg opens its media session as soon as the call exists, so the session's round trip overlaps
/// the answer; but nothing is sent before the call is answered (a callee sends from its answer on), and
/// what a caller sends before the answer reaches nobody (docs/protocol.md section 7).
/// </summary>
[CancelAfter(60_000)]
public class EarlyMediaSessionTests
{
    [Test]
    public async Task BothLegsOpenTheirMediaSessionBeforeTheAnswerAndSendNothingUntilIt(CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        // A virtual media clock: streams registered on it would send on every step, so "nothing sent" is exact.
        var clock = new VirtualMediaClock();
        CountingMediaTransport? aliceMedia = null, bobMedia = null;
        var alice = await harness.ConnectAsync("alice", Advertisements.G711Only, o => o.MediaClock = clock,
            t => aliceMedia = new CountingMediaTransport(t), cancellationToken);
        var bob = await harness.ConnectAsync("bob", Advertisements.G711Only, o => o.MediaClock = clock,
            t => bobMedia = new CountingMediaTransport(t), cancellationToken);
        var incoming = NextIncomingAsync(bob, cancellationToken);
        var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        var answered = await incoming;
        call.AudioSource = new ToneGenerator(new AudioFormat(8000), 8000, 1000);
        answered.AudioSource = new ToneGenerator(new AudioFormat(8000), 8000, 600);

        await Eventually.ThatAsync(() => aliceMedia!.Opened == 1 && bobMedia!.Opened == 1, "media sessions opened before the answer", cancellationToken);
        clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.Not.EqualTo(CallStatus.Answered));
            Assert.That(answered.Status, Is.Not.EqualTo(CallStatus.Answered));
            Assert.That(aliceMedia!.Sent, Is.Zero, "the caller sends nothing before the answer");
            Assert.That(bobMedia!.Sent, Is.Zero, "the callee sends nothing before it answers");
            Assert.That(call.MediaConnected.IsCompleted, Is.False);
        });

        var atBob = new ToneDetector(new AudioFormat(8000));
        answered.AudioSink = atBob;
        await answered.AnswerAsync(cancellationToken: cancellationToken);
        await Task.WhenAll(call.MediaConnected, answered.MediaConnected).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(aliceMedia!.Opened, Is.EqualTo(1), "the early session is the one used: no second CONNECT");
        var heard = atBob.WaitForToneAsync(1000, TimeSpan.FromSeconds(10), cancellationToken);
        for (int i = 0; i < 500 && !heard.IsCompleted; i++)
        {
            clock.Step();
            await Task.WhenAny(heard, Task.Delay(2, cancellationToken));
        }
        await heard;
        Assert.That(bobMedia!.Sent, Is.GreaterThan(0), "the callee sends once answered");
        await call.HangupAsync(cancellationToken);
        await answered.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }

    [Test]
    public async Task WhatACallerSendsBeforeTheAnswerReachesNobodyAndIsNotPlayed(CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        CountingMediaTransport? aliceMedia = null, bobMedia = null;
        var alice = await harness.ConnectAsync("alice", Advertisements.G711Only, wrap: t => aliceMedia = new CountingMediaTransport(t), cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", Advertisements.G711Only, wrap: t => bobMedia = new CountingMediaTransport(t), cancellationToken: cancellationToken);
        var incoming = NextIncomingAsync(bob, cancellationToken);
        var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        var ringing = await incoming;
        var atBob = new ToneDetector(new AudioFormat(8000));
        ringing.AudioSink = atBob;
        await Eventually.ThatAsync(() => aliceMedia!.Opened == 1 && bobMedia!.Opened == 1, "media sessions opened before the answer", cancellationToken);

        // A caller that does not wait for the answer: 50 frames of a loud tone on its audio send flow.
        var frames = ToneFrames(50);
        var before = harness.Relay.Statistics;
        foreach (var frame in frames)
            Assert.That(aliceMedia!.Session!.TrySend(frame), Is.True);
        await Eventually.ThatAsync(() => harness.Relay.Statistics.DroppedNotLive - before.DroppedNotLive >= frames.Length, "the relay dropping the early frames", cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(harness.Relay.Statistics.Forwarded, Is.EqualTo(before.Forwarded), "nothing forwarded before the answer");
            Assert.That(bobMedia!.Received, Is.Zero, "the ringing callee's open session received nothing");
            Assert.That(atBob.AudibleFrames, Is.Zero, "and played nothing");
        });

        // Once answered the same frames go through: the gate was the answer, not a broken path.
        await ringing.AnswerAsync(cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        foreach (var frame in frames)
            aliceMedia!.Session!.TrySend(frame);
        await Eventually.ThatAsync(() => bobMedia!.Received > 0, "the caller's frames after the answer", cancellationToken);
        await call.HangupAsync(cancellationToken);
    }

    [Test]
    public async Task TheCalleeSendsFromItsAnswerOnAndTheRelayForwardsWhatCameBeforeTheAnswerReachedIt(CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        CountingMediaTransport? bobMedia = null;
        var answerGate = new AnswerGate(new SocketsHttpHandler());
        var alice = await harness.ConnectAsync("alice", Advertisements.G711Only, cancellationToken: cancellationToken);
        var bob = await harness.ConnectAsync("bob", Advertisements.G711Only, o => o.HttpHandler = answerGate,
            t => bobMedia = new CountingMediaTransport(t), cancellationToken);
        var incoming = NextIncomingAsync(bob, cancellationToken);
        var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        var ringing = await incoming;
        Assert.That(call.Directive, Is.Not.Null, "the caller knows the directive from the 201");
        Assert.That(ringing.Directive, Is.Not.Null, "the callee knows it from the incoming call");
        var atAlice = new ToneDetector(new AudioFormat(8000));
        call.AudioSink = atAlice;
        ringing.AudioSource = new ToneGenerator(new AudioFormat(8000), 16000, 1000);
        await Eventually.ThatAsync(() => bobMedia!.Opened == 1, "the callee's media session opened before the answer", cancellationToken);

        // The answer is held on its way to the server: the callee's user has answered, the server does not know yet.
        var answering = ringing.AnswerAsync(cancellationToken: cancellationToken);
        await answerGate.Held.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        await Eventually.ThatAsync(() => bobMedia!.Sent > 0, "the callee sending as it answers", cancellationToken);
        Assert.That(ringing.Status, Is.Not.EqualTo(CallStatus.Answered));
        Assert.That(call.Status, Is.Not.EqualTo(CallStatus.Answered));
        Assert.That(harness.Relay.Statistics.Forwarded, Is.Zero, "nothing reaches the caller before the server has the answer");

        answerGate.Release();
        await answering;
        await atAlice.WaitForToneAsync(1000, TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(harness.Relay.Statistics.ForwardedAfterWaiting, Is.GreaterThan(0), "the packets that beat the answer were kept for it, not dropped");
        await call.HangupAsync(cancellationToken);
    }

    [Test]
    public async Task AnEarlySessionLostWhileRingingDoesNotEndTheCallAndTheAnswerOpensAnother(CancellationToken cancellationToken)
    {
        await using var harness = await MediaCallHarness.StartAsync();
        EndingSessions? aliceMedia = null;
        // A short media timeout: losing the early session used to run the reconnect budget out and end the ringing call.
        var alice = await harness.ConnectAsync("alice", Advertisements.G711Only, o => o.MediaTimeout = TimeSpan.FromMilliseconds(300),
            t => aliceMedia = new EndingSessions(t), cancellationToken);
        var bob = await harness.ConnectAsync("bob", Advertisements.G711Only, cancellationToken: cancellationToken);
        var incoming = NextIncomingAsync(bob, cancellationToken);
        var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        var ringing = await incoming;
        await Eventually.ThatAsync(() => aliceMedia!.Opened == 1, "the caller's early session opened (and ended at once)", cancellationToken);
        // Three media timeouts of ringing: no reconnect churn, and the call rings on.
        var rang = Task.Delay(TimeSpan.FromMilliseconds(900), cancellationToken);
        Assert.That(await Task.WhenAny(rang, call.Completion), Is.SameAs(rang), $"the call ended while ringing: {call.EndReason} {call.EndDetail}");
        Assert.That(aliceMedia!.Opened, Is.EqualTo(1), "a ringing call does not keep reopening a lost session");
        aliceMedia.Ending = false;

        var atAlice = new ToneDetector(new AudioFormat(8000));
        call.AudioSink = atAlice;
        ringing.AudioSource = new ToneGenerator(new AudioFormat(8000), 16000, 1000);
        await ringing.AnswerAsync(cancellationToken: cancellationToken);
        await atAlice.WaitForToneAsync(1000, TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(aliceMedia!.Opened, Is.EqualTo(2), "the answer opened a new session");
        await call.HangupAsync(cancellationToken);
    }

    /// <summary>While <see cref="Ending"/>, every session it opens ends at once (as a refused early CONNECT does).</summary>
    private sealed class EndingSessions(IMediaTransport inner) : IMediaTransport
    {
        private int _opened;

        public volatile bool Ending = true;

        public int Opened => Volatile.Read(ref _opened);

        public async ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
        {
            var session = await inner.OpenAsync(mediaUri, bearerToken, cancellationToken);
            Interlocked.Increment(ref _opened);
            if (!Ending) return session;
            await session.DisposeAsync();
            return new Ended();
        }

        private sealed class Ended : IMediaSession
        {
            public int MaxDatagramSize => 1200;
            public bool TrySend(ReadOnlySpan<byte> datagram) => false;
            public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => ValueTask.FromResult(0);
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>Holds the callee's 'answered' POST until released; everything else passes.</summary>
    private sealed class AnswerGate(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Held => _held.Task;

        public void Release() => _release.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.Content is not null
                && (await request.Content.ReadAsStringAsync(cancellationToken)).Contains("\"answered\"", StringComparison.Ordinal))
            {
                _held.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private static byte[][] ToneFrames(int count)
    {
        var tone = new ToneGenerator(new AudioFormat(8000), 16000, 1000);
        using var encoder = new G711Encoder(G711Law.MuLaw);
        var packetizer = AudioPacketizer.ForG711(0, 0x5eed, TimeSpan.FromMilliseconds(20), 1, 160);
        var pcm = new short[160];
        var payload = new byte[160];
        var frames = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            tone.ReadFrame(pcm);
            encoder.Encode(pcm, payload);
            var datagram = new byte[200];
            int n = FlowIdVarint.Write(datagram, (ulong)FlowIds.AudioSend);
            n += packetizer.Packetize(payload, datagram.AsSpan(n));
            frames[i] = datagram[..n];
        }
        return frames;
    }

    private static async Task<Call> NextIncomingAsync(CallClient client, CancellationToken cancellationToken)
    {
        await foreach (var call in client.IncomingCallsAsync(cancellationToken)) return call;
        throw new AssertionException("no incoming call");
    }

    /// <summary>Counts the sessions a client opens and the datagrams they send and receive.</summary>
    private sealed class CountingMediaTransport(IMediaTransport inner) : IMediaTransport
    {
        private int _opened;
        private long _sent, _received;

        public int Opened => Volatile.Read(ref _opened);
        public long Sent => Interlocked.Read(ref _sent);
        public long Received => Interlocked.Read(ref _received);
        public IMediaSession? Session { get; private set; }

        public async ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
        {
            var session = new Counting(this, await inner.OpenAsync(mediaUri, bearerToken, cancellationToken));
            Session = session;
            Interlocked.Increment(ref _opened);
            return session;
        }

        private sealed class Counting(CountingMediaTransport owner, IMediaSession inner) : IMediaSession
        {
            public int MaxDatagramSize => inner.MaxDatagramSize;

            public bool TrySend(ReadOnlySpan<byte> datagram)
            {
                Interlocked.Increment(ref owner._sent);
                return inner.TrySend(datagram);
            }

            public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
            {
                int n = await inner.ReceiveAsync(buffer, cancellationToken);
                if (n > 0)
                    Interlocked.Increment(ref owner._received);
                return n;
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
