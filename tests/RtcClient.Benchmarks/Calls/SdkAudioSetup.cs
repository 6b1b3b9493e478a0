using System.Diagnostics;
using RtcClient.Media.Io;

namespace RtcClient.Benchmarks.Calls;

/// <summary>
/// Dial to first audio frame played at the callee with the SDK's own call media (Call.AudioSource and
/// AudioSink): the caller sends a square wave; the callee's sink notes the first frame that is not
/// silence or concealment.
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

    /// <summary>Milliseconds from dial to answered (caller), to the caller's media connected, and to the first sound at the callee.</summary>
    public static async Task<(double Answered, double MediaConnected, double Played)> OneCallAsync(
        Server.Hosting.RiptServerHost server, Uri uri, string callerName, string calleeName, CancellationToken cancellationToken)
    {
        await using var caller = await BenchServer.ConnectAsync(server, uri, callerName, cancellationToken);
        await using var callee = await BenchServer.ConnectAsync(server, uri, calleeName, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var heard = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        callee.IncomingCall += (_, call) =>
        {
            call.AudioSink = new FirstSoundSink(heard);
            _ = call.AnswerAsync(cancellationToken: timeout.Token);
        };
        long dialed = Stopwatch.GetTimestamp();
        await using var call = await caller.PlaceCallAsync(calleeName, cancellationToken: timeout.Token);
        call.AudioSource = new SquareWaveSource();
        await call.WaitForStatusAsync(CallStatus.Answered, timeout.Token);
        double answered = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
        await call.MediaConnected.WaitAsync(timeout.Token);
        double connected = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
        double played = BenchServer.Ms(await heard.Task.WaitAsync(timeout.Token) - dialed);
        await call.HangupAsync(timeout.Token);
        return (answered, connected, played);
    }
}
