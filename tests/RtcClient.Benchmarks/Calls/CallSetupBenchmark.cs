using System.Diagnostics;
using System.Net;
using RtcClient.Media;
using RtcClient.Testing;

namespace RtcClient.Benchmarks.Calls;

/// <summary>
/// Call setup time on fresh connections through a <see cref="UdpDelayProxy"/>. "Dial" starts when the
/// already registered caller calls PlaceCallAsync (ConnectAsync, i.e. QUIC handshake, discovery, trunk
/// group and handler registration, is timed separately). The callee answers from its IncomingCall
/// handler at once; both sides open their media session as soon as they have the call; the caller
/// sends a frame every 5 ms once it has its session, and "first media" is when the callee receives one.
/// </summary>
internal static class CallSetupBenchmark
{
    private sealed class Sample
    {
        public double Connect, Placed, Incoming, Answered, CalleeMedia, FirstMedia;
    }

    public static async Task<int> RunAsync(int iterations, int oneWayDelayMs, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(0, iterations + 1).SelectMany(i => new[] { $"caller{i}", $"callee{i}", $"sdk-caller{i}", $"sdk-callee{i}" }).ToList();
        await using var server = await BenchServer.StartAsync(names, cancellationToken);
        using var proxy = new UdpDelayProxy(new IPEndPoint(IPAddress.Loopback, server.Uri.Port), new UdpDelayProxyOptions { OneWayDelay = TimeSpan.FromMilliseconds(oneWayDelayMs) });
        var uri = new Uri($"https://127.0.0.1:{proxy.EndPoint.Port}/");
        double rtt = 2.0 * oneWayDelayMs;
        Console.WriteLine($"call-setup: {iterations} calls (+1 warm-up), one-way delay {oneWayDelayMs} ms (RTT {rtt} ms), fresh connections per call");

        var samples = new List<Sample>();
        for (int i = 0; i <= iterations; i++)
        {
            var s = await OneCallAsync(server, uri, $"caller{i}", $"callee{i}", cancellationToken);
            if (i > 0) samples.Add(s);
        }

        Report("connect (handshake+discovery+registration)", samples.Select(s => s.Connect), rtt);
        Report("dial -> POST /calls response", samples.Select(s => s.Placed), rtt);
        Report("dial -> call delivered to callee app", samples.Select(s => s.Incoming), rtt);
        Report("dial -> answered (caller's view)", samples.Select(s => s.Answered), rtt);
        Report("dial -> callee media session open", samples.Select(s => s.CalleeMedia), rtt);
        Report("dial -> first media datagram at callee", samples.Select(s => s.FirstMedia), rtt);

        // The SDK's own call audio (Call.AudioSource/AudioSink both ways), on fresh clients again.
        var audio = new List<(double Answered, double MediaConnected, double HeardByCaller, double HeardByCallee)>();
        for (int i = 0; i <= iterations; i++)
        {
            try
            {
                var a = await SdkAudioSetup.OneCallAsync(server, uri, $"sdk-caller{i}", $"sdk-callee{i}", cancellationToken);
                if (i > 0) audio.Add(a);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"call {i} with SDK audio failed: {e}");
                throw;
            }
        }
        Console.WriteLine("with Call.AudioSource/AudioSink both ways (media opened by the SDK):");
        Report("dial -> answered (caller's view)", audio.Select(a => a.Answered), rtt);
        Report("dial -> caller's MediaConnected", audio.Select(a => a.MediaConnected), rtt);
        Report("dial -> first audio played at caller", audio.Select(a => a.HeardByCaller), rtt);
        Report("dial -> first audio played at callee", audio.Select(a => a.HeardByCallee), rtt);
        Console.WriteLine($"proxy: forwarded {proxy.Forwarded}, lost {proxy.Lost}, overflowed {proxy.Overflowed}");
        return 0;
    }

    private static void Report(string what, IEnumerable<double> values, double rtt)
    {
        var sorted = values.Order().ToList();
        double median = BenchServer.Percentile(sorted, 0.5), p90 = BenchServer.Percentile(sorted, 0.9);
        Console.WriteLine($"{what,-46} median {median,7:F1} ms = {median / rtt,4:F2} RTT   p90 {p90,7:F1} ms = {p90 / rtt,4:F2} RTT   min {sorted[0],7:F1} ms");
    }

    private static async Task<Sample> OneCallAsync(Server.Hosting.RiptServerHost server, Uri uri, string callerName, string calleeName, CancellationToken cancellationToken)
    {
        var sample = new Sample();
        long start = Stopwatch.GetTimestamp();
        // Raw clients: their calls open no media of their own, so the harness's sessions are the only ones.
        var (caller, callerMedia, callerHandler) = await BenchServer.ConnectRawAsync(server, callerName, cancellationToken, uri);
        sample.Connect = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        using var callerHandlerOwner = callerHandler;
        await using var callerOwner = caller;
        var (callee, calleeMedia, calleeHandler) = await BenchServer.ConnectRawAsync(server, calleeName, cancellationToken, uri);
        using var calleeHandlerOwner = calleeHandler;
        await using var calleeOwner = callee;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        long dialed = 0;
        var firstMedia = new TaskCompletionSource<IMediaSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        callee.IncomingCall += (_, call) => _ = TakeAsync(call);
        async Task TakeAsync(Call call)
        {
            try
            {
                sample.Incoming = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
                var answering = call.AnswerAsync(cancellationToken: timeout.Token);
                var session = await calleeMedia.OpenAsync(new Uri(uri, call.MediaUri), calleeName + "-token", timeout.Token);
                sample.CalleeMedia = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
                await answering;
                var buffer = new byte[2048];
                await session.ReceiveAsync(buffer, timeout.Token);
                sample.FirstMedia = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
                firstMedia.TrySetResult(session);
            }
            catch (Exception e) when (e is RtcException or OperationCanceledException or IOException)
            {
                firstMedia.TrySetException(e);
            }
        }

        dialed = Stopwatch.GetTimestamp();
        await using var placed = await caller.PlaceCallAsync(calleeName, cancellationToken: timeout.Token);
        sample.Placed = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        placed.StatusChanged += (_, e) =>
        {
            if (e.Status != CallStatus.Answered || answered.Task.IsCompleted) return;
            sample.Answered = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
            answered.TrySetResult();
        };
        if (placed.Status == CallStatus.Answered && answered.TrySetResult()) sample.Answered = BenchServer.Ms(Stopwatch.GetTimestamp() - dialed);
        await using var media = await callerMedia.OpenAsync(new Uri(uri, placed.MediaUri), callerName + "-token", timeout.Token);
        await answered.Task.WaitAsync(timeout.Token);

        // Until the callee hears something: the relay forwards only once both sessions are attached and the call is live.
        var frame = new byte[1 + BenchServer.RtpHeaderLength + 160];
        byte flow = BenchServer.SendFlow(placed);
        for (ushort seq = 0; !firstMedia.Task.IsCompleted; seq++)
        {
            int n = BenchServer.WriteFrame(frame, flow, seq, 0x1234, Stopwatch.GetTimestamp(), 160);
            media.TrySend(frame.AsSpan(0, n));
            await Task.WhenAny(firstMedia.Task, Task.Delay(5, timeout.Token));
            timeout.Token.ThrowIfCancellationRequested();
        }
        await using var calleeSession = await firstMedia.Task;
        await placed.HangupAsync(timeout.Token);
        return sample;
    }
}
