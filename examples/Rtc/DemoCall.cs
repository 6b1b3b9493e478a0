using System.Diagnostics;
using RtcClient;
using RtcClient.Media.Io;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;
using RtcExamples;

namespace Rtc;

/// <summary>What 'rtc demo' does: an embedded server, alice calls bob on loopback, a tone each way, both sides record.</summary>
public static class DemoCall
{
    /// <summary>Frames the demo plays and records.</summary>
    public static readonly AudioFormat Format = new(48000, 1, 20);

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs the demo call; <paramref name="view"/> null shows nothing while the call runs.</summary>
    public static async Task<DemoResult> RunAsync(DemoOptions options, LiveStatsView? view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.OutputDirectory);
        await using var server = await RiptServerHost.StartAsync(new RiptServerHostOptions
        {
            Tokens = new StaticTokenValidator(new Dictionary<string, string> { ["alice-token"] = "alice", ["bob-token"] = "bob" }),
        }, cancellationToken).ConfigureAwait(false);
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        step.CancelAfter(StepTimeout);
        await using var alice = await ConnectAsync(server, "alice", step.Token).ConfigureAwait(false);
        await using var bob = await ConnectAsync(server, "bob", step.Token).ConfigureAwait(false);

        using var aliceHeard = new WavFileSink(Path.Combine(options.OutputDirectory, "alice-heard.wav"), Format);
        using var bobHeard = new WavFileSink(Path.Combine(options.OutputDirectory, "bob-heard.wav"), Format);
        var incoming = bob.IncomingCallsAsync(step.Token).GetAsyncEnumerator(step.Token);
        await using var _ = incoming.ConfigureAwait(false);

        var dialed = Stopwatch.GetTimestamp();
        await using var aliceCall = await alice.PlaceCallAsync("bob", cancellationToken: step.Token).ConfigureAwait(false);
        aliceCall.AudioSource = new ToneGenerator(Format, 8000, options.AliceHz);
        aliceCall.AudioSink = aliceHeard;
        if (!await incoming.MoveNextAsync().ConfigureAwait(false)) throw new RtcException("bob's client stopped before the call arrived");
        await using var bobCall = incoming.Current;
        bobCall.AudioSource = new ToneGenerator(Format, 8000, options.BobHz);
        bobCall.AudioSink = bobHeard;
        await bobCall.AnswerAsync(cancellationToken: step.Token).ConfigureAwait(false);
        await aliceCall.WaitForStatusAsync(CallStatus.Answered, step.Token).ConfigureAwait(false);
        var setup = Stopwatch.GetElapsedTime(dialed);
        await Task.WhenAll(aliceCall.MediaConnected, bobCall.MediaConnected).WaitAsync(step.Token).ConfigureAwait(false);
        var media = Stopwatch.GetElapsedTime(dialed);

        var talk = Task.Delay(options.Duration, cancellationToken);
        if (view is not null) await view.ShowAsync([("alice", aliceCall), ("bob", bobCall)], talk, cancellationToken).ConfigureAwait(false);
        await talk.ConfigureAwait(false);

        var aliceStats = SideStats.Of("alice", aliceCall);
        var bobStats = SideStats.Of("bob", bobCall);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        end.CancelAfter(StepTimeout);
        await aliceCall.HangupAsync(end.Token).ConfigureAwait(false);
        await bobCall.Completion.WaitAsync(end.Token).ConfigureAwait(false);
        aliceHeard.Dispose();
        bobHeard.Dispose();

        return new DemoResult(setup, media,
            new DemoDirection("alice", "bob", options.AliceHz, ToneAnalysis.DominantFrequency(bobHeard.Path), bobHeard.Path, aliceStats, bobStats),
            new DemoDirection("bob", "alice", options.BobHz, ToneAnalysis.DominantFrequency(aliceHeard.Path), aliceHeard.Path, bobStats, aliceStats),
            bobCall.EndReason);
    }

    private static Task<CallClient> ConnectAsync(RiptServerHost server, string name, CancellationToken cancellationToken)
        => CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.Uri, Token = name + "-token", Name = name, PinnedCertificateSha256 = [server.CertificateSha256],
        }, cancellationToken);
}
