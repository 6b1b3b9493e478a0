using System.Diagnostics;
using RtcClient.Media.Io;

namespace RtcClient.Benchmarks.Calls;

/// <summary>
/// Dial to first audio frame played with the SDK's own call media (Call.AudioSource and AudioSink), in both
/// directions: each side sends a square wave; each sink notes the first frame that is not silence or concealment.
/// </summary>
internal static class SdkAudioSetup
{
    private sealed class FirstSoundSink(TaskCompletionSource<long> heard) : IAudioFrameSink
    {
        public AudioFormat Format { get; } = new(8000);

        public void WriteFrame(ReadOnlySpan<short> frame)
        {
            if (heard.Task.IsCompleted) return;
            foreach (short s in frame)
            {
                if (Math.Abs((int)s) > 2000)
                {
                    heard.TrySetResult(Stopwatch.GetTimestamp());
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Milliseconds from dial to answered (caller), to the caller's media connected, to the first sound the caller
    /// plays (the callee's voice: what the person who dialed waits for) and to the first sound the callee plays.
    /// </summary>
    public static async Task<(double Answered, double MediaConnected, double HeardByCaller, double HeardByCallee)> OneCallAsync(
        Server.Hosting.RiptServerHost server, Uri uri, string callerName, string calleeName, CancellationToken cancellationToken)
    {
        await using var caller = await BenchServer.ConnectAsync(server, uri, callerName, cancellationToken);
        await using var callee = await BenchServer.ConnectAsync(server, uri, calleeName, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var heardByCallee = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var heardByCaller = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        callee.IncomingCall += (_, call) =>
        {
            call.AudioSink = new FirstSoundSink(heardByCallee);
            call.AudioSource = new SquareWaveSource();
            _ = call.AnswerAsync(cancellationToken: timeout.Token);
        };
        long dialed = Stopwatch.GetTimestamp();
        await using var call = await caller.PlaceCallAsync(calleeName, cancellationToken: timeout.Token);
        call.AudioSource = new SquareWaveSource();
        call.AudioSink = new FirstSoundSink(heardByCaller);
        await call.WaitForStatusAsync(CallStatus.Answered, timeout.Token);
        double answered = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
        await call.MediaConnected.WaitAsync(timeout.Token);
        double connected = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
        double atCaller = BenchServer.Ms(await heardByCaller.Task.WaitAsync(timeout.Token) - dialed);
        double atCallee = BenchServer.Ms(await heardByCallee.Task.WaitAsync(timeout.Token) - dialed);
        await call.HangupAsync(timeout.Token);
        return (answered, connected, atCaller, atCallee);
    }
}
