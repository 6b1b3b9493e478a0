using System.Collections.Concurrent;
using IvrBot;
using RtcClient.Media.Io;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;
using RtcExamples;

namespace RtcClient.Tests.Examples;

/// <summary>The IVR example over real loopback HTTP/3 and WebTransport: prompt, DTMF, recording, hang-up.</summary>
[CancelAfter(90_000)]
public class IvrTests
{
    private const double CallerHz = 800;
    private static readonly AudioFormat Format = new(48000, 1, 20);

    private sealed class Fixture : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _run = Task.CompletedTask;

        public required RiptServerHost Server { get; init; }
        public required CallClient IvrClient { get; init; }
        public required Ivr Ivr { get; init; }
        public required string Directory { get; init; }
        public ConcurrentDictionary<string, IvrCallResult> Results { get; } = new();
        private readonly SemaphoreSlim _completed = new(0);

        /// <summary>Waits until the IVR has finished <paramref name="count"/> calls.</summary>
        public async Task<IReadOnlyList<IvrCallResult>> WaitForResultsAsync(int count, CancellationToken cancellationToken)
        {
            for (int i = 0; i < count; i++)
                Assert.That(await _completed.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken), Is.True, $"the IVR finished only {i} of {count} calls");
            return [.. Results.Values];
        }

        /// <summary>Starts the server and the IVR: a client over HTTP/3, or with <paramref name="inProcess"/> an application inside the server.</summary>
        public static async Task<Fixture> StartAsync(CancellationToken cancellationToken, bool inProcess = false)
        {
            var server = await RiptServerHost.StartAsync(new RiptServerHostOptions
            {
                Tokens = new StaticTokenValidator(new Dictionary<string, string> { ["ivr-token"] = "ivr", ["caller-token"] = "caller" }),
            }, cancellationToken);
            var client = inProcess
                ? await server.Applications.RegisterAsync("ivr", cancellationToken: cancellationToken)
                : await CallClient.ConnectAsync(Options(server, "ivr"), cancellationToken);
            var dir = Path.Combine(Path.GetTempPath(), "rtc-ivr-" + Guid.NewGuid().ToString("N"));
            var ivr = new Ivr(client, new IvrOptions { RecordingDirectory = dir, DigitTimeout = TimeSpan.FromSeconds(8) });
            var fixture = new Fixture { Server = server, IvrClient = client, Ivr = ivr, Directory = dir };
            ivr.CallCompleted += (_, r) =>
            {
                fixture.Results[r.CallId] = r;
                fixture._completed.Release();
            };
            fixture._run = ivr.RunAsync(fixture._stop.Token);
            return fixture;
        }

        public static RtcClientOptions Options(RiptServerHost server, string name) => new()
        {
            ServerUri = server.Uri, Token = name + "-token", Name = name, PinnedCertificateSha256 = [server.CertificateSha256],
        };

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(20));
            await IvrClient.DisposeAsync();
            await Server.DisposeAsync();
            _stop.Dispose();
            _completed.Dispose();
            if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>Calls the IVR, sends a tone for <paramref name="toneMs"/>, then <paramref name="digits"/>, and waits for the IVR to hang up.</summary>
    private static async Task<Call> CallIvrAsync(CallClient caller, string digits, int toneMs, CancellationToken cancellationToken)
    {
        var call = await caller.PlaceCallAsync("ivr", cancellationToken: cancellationToken);
        var player = new ClipPlayer(Format);
        call.AudioSource = player;
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);
        await call.MediaConnected.WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
        // The clip's task completes once the media clock has taken its last frame, i.e. it was sent.
        await player.PlayAsync(Clips.Tone(Format, toneMs, 8000, CallerHz)).WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
        Assert.That(call.SendDtmf(digits), Is.True, "telephone-event negotiated and media running");
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return call;
    }

    [Test]
    public async Task IvrCollectsDigitsUntilHashRecordsTheCallerAndHangsUp(CancellationToken cancellationToken)
    {
        await using var fixture = await Fixture.StartAsync(cancellationToken);
        await using var caller = await CallClient.ConnectAsync(Fixture.Options(fixture.Server, "caller"), cancellationToken);

        await using var call = await CallIvrAsync(caller, "123#", 2000, cancellationToken);

        Assert.That(call.EndReason, Is.EqualTo(Protocol.EndReason.Hangup), "the IVR hung up");
        var result = (await fixture.WaitForResultsAsync(1, cancellationToken)).Single();
        Assert.That(result.Digits, Is.EqualTo("123"));
        Assert.That(result.Terminated, Is.True);
        Assert.That(result.Outcome, Is.EqualTo("complete"));
        Assert.That(result.From, Is.EqualTo("caller"));
        Assert.That(ToneAnalysis.DominantFrequency(result.RecordingPath), Is.EqualTo(CallerHz).Within(10), "the recording holds the caller's tone");
    }

    [Test]
    public async Task TheSameIvrCodeRunsInsideTheServerAsAnInProcessApplication(CancellationToken cancellationToken)
    {
        await using var fixture = await Fixture.StartAsync(cancellationToken, inProcess: true);
        await using var caller = await CallClient.ConnectAsync(Fixture.Options(fixture.Server, "caller"), cancellationToken);

        await using var call = await CallIvrAsync(caller, "42#", 1500, cancellationToken);

        Assert.That(call.EndReason, Is.EqualTo(Protocol.EndReason.Hangup), "the IVR hung up");
        var result = (await fixture.WaitForResultsAsync(1, cancellationToken)).Single();
        Assert.That((result.Digits, result.Outcome), Is.EqualTo(("42", "complete")));
        Assert.That(ToneAnalysis.DominantFrequency(result.RecordingPath), Is.EqualTo(CallerHz).Within(10), "the recording holds the caller's tone");
        Assert.That(fixture.Server.Registry.FindLeg(call.Id)!.Peer.InProcess, Is.True, "the IVR's leg never left the server process");
    }

    [Test]
    public async Task IvrHandlesTwentySimultaneousCalls(CancellationToken cancellationToken)
    {
        const int Calls = 20;
        await using var fixture = await Fixture.StartAsync(cancellationToken);
        await using var caller = await CallClient.ConnectAsync(Fixture.Options(fixture.Server, "caller"), cancellationToken);

        var calls = await Task.WhenAll(Enumerable.Range(0, Calls).Select(i => CallIvrAsync(caller, $"{i}#", 1000, cancellationToken)));
        try
        {
            Assert.That(calls.Select(c => c.EndReason), Is.All.EqualTo(Protocol.EndReason.Hangup), "the IVR hung up every call");
            var results = await fixture.WaitForResultsAsync(Calls, cancellationToken);
            // Each caller sent its own number: every number arrives exactly once, each on its own leg.
            Assert.That(results.Select(r => r.Digits), Is.EquivalentTo(Enumerable.Range(0, Calls).Select(i => i.ToString())));
            Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo("complete"));
            Assert.That(results.Select(r => r.RecordingPath).Distinct().Count(), Is.EqualTo(Calls), "one recording per call");
            foreach (var r in results)
                Assert.That(ToneAnalysis.DominantFrequency(r.RecordingPath), Is.EqualTo(CallerHz).Within(10), $"recording of the call that sent {r.Digits}");
            Assert.That(fixture.Ivr.ActiveCalls, Is.Zero);
        }
        finally
        {
            foreach (var c in calls) await c.DisposeAsync();
        }
    }
}
