using System.Diagnostics;
using RtcClient.Media;

namespace RtcClient.Benchmarks.Calls;

/// <summary>
/// N concurrent answered calls in one server process (clients in the same process, spread over a few
/// connections), each leg sending a 20 ms G.711-sized frame (1 + 12 + 160 bytes) through the server's
/// media relay, paced by one shared clock. A frame is late when it reaches the far end more than
/// <see cref="LateAfterMs"/> after it was due (a 60 ms playout budget), or never.
/// </summary>
internal static class CallCapacityBenchmark
{
    private const int Ptime = 20;
    private const double LateAfterMs = 60;
    private const int PayloadLength = 160;

    private sealed class Leg(Call call, IMediaSession session)
    {
        public Call Call { get; } = call;
        public IMediaSession Session { get; } = session;
        public byte Flow { get; } = BenchServer.SendFlow(call);
        public uint Ssrc { get; } = (uint)Random.Shared.Next();
        public ushort Sequence;
        public long Received, Late;
    }

    public static async Task<int> RunAsync(int calls, int pairs, int seconds, CancellationToken cancellationToken)
    {
        pairs = BenchServer.ClientPairs(calls, pairs);
        var names = Enumerable.Range(0, pairs).SelectMany(i => new[] { $"caller{i}", $"callee{i}" }).ToList();
        Console.WriteLine($"call-capacity: {calls} calls over {pairs} client pairs, {Ptime} ms frames both ways, {seconds} s measured; {Environment.ProcessorCount} cores");
        await using var server = await BenchServer.StartAsync(names, cancellationToken);
        var callers = new CallClient[pairs];
        var calleeLegs = new System.Collections.Concurrent.ConcurrentBag<Leg>();
        var callees = new CallClient[pairs];
        var callerMedia = new IMediaTransport[pairs];
        var handlers = new List<IDisposable>();
        for (int i = 0; i < pairs; i++)
        {
            IDisposable callerHandler, calleeHandler;
            (callers[i], callerMedia[i], callerHandler) = await BenchServer.ConnectRawAsync(server, $"caller{i}", cancellationToken);
            (callees[i], var calleeMedia, calleeHandler) = await BenchServer.ConnectRawAsync(server, $"callee{i}", cancellationToken);
            handlers.Add(callerHandler);
            handlers.Add(calleeHandler);
            var callee = callees[i];
            string token = $"callee{i}-token";
            callee.IncomingCall += (_, call) => _ = TakeAsync(call);
            async Task TakeAsync(Call call)
            {
                try
                {
                    var media = calleeMedia.OpenAsync(new Uri(server.Uri, call.MediaUri), token, cancellationToken);
                    await call.AnswerAsync(cancellationToken: cancellationToken);
                    calleeLegs.Add(new Leg(call, await media));
                }
                catch (Exception e) when (e is RtcException or IOException or OperationCanceledException)
                {
                    Console.Error.WriteLine($"callee {call.Id}: {e.Message}");
                }
            }
        }
        var (heap0, ws0) = BenchServer.Memory();

        // Set up the calls a few at a time (set-up is not what is measured here).
        var legs = new List<Leg>(2 * calls);
        var setupTimer = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(16))
        {
            var tasks = Enumerable.Range(0, calls).Select(async j =>
            {
                await gate.WaitAsync(cancellationToken);
                try { return await SetUpAsync(server.Uri, callers[j % pairs], callerMedia[j % pairs], $"caller{j % pairs}-token", $"callee{j % pairs}", cancellationToken); }
                finally { gate.Release(); }
            }).ToList();
            foreach (var t in tasks) legs.Add(await t);
        }
        for (int i = 0; i < 1000 && calleeLegs.Count < calls; i++) await Task.Delay(10, cancellationToken);
        if (calleeLegs.Count < calls) throw new InvalidOperationException($"only {calleeLegs.Count} of {calls} callees have their media session");
        legs.AddRange(calleeLegs);
        Console.WriteLine($"set up {calls} calls in {setupTimer.Elapsed.TotalSeconds:F1} s");
        var (heap1, ws1) = BenchServer.Memory();

        using var stop = new CancellationTokenSource();
        var receivers = legs.Select(l => Task.Run(() => ReceiveAsync(l, stop.Token))).ToList();
        var statistics = new ClockStatistics();
        var clock = new Thread(() => Clock(legs, statistics, stop.Token)) { IsBackground = true, Name = "bench-media-clock", Priority = ThreadPriority.AboveNormal };
        clock.Start();
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // warm-up
        long received0 = legs.Sum(l => Interlocked.Read(ref l.Received)), late0 = legs.Sum(l => Interlocked.Read(ref l.Late));
        long sent0 = Interlocked.Read(ref statistics.Sent), ticks0 = Interlocked.Read(ref statistics.Ticks), lateTicks0 = Interlocked.Read(ref statistics.LateTicks);
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds / wall.Elapsed.TotalSeconds;
        long sent = Interlocked.Read(ref statistics.Sent) - sent0, ticks = Interlocked.Read(ref statistics.Ticks) - ticks0, lateTicks = Interlocked.Read(ref statistics.LateTicks) - lateTicks0;
        long received = legs.Sum(l => Interlocked.Read(ref l.Received)) - received0, late = legs.Sum(l => Interlocked.Read(ref l.Late)) - late0;
        await stop.CancelAsync();
        clock.Join(TimeSpan.FromSeconds(5));

        // Frames in flight at the window's edges make sent and received differ slightly; missing beyond that is loss.
        long missing = Math.Max(0, sent - received);
        double lateRate = sent == 0 ? 1 : (double)(late + missing) / sent;
        var relay = server.Relay.Statistics;
        Console.WriteLine($"frames sent {sent}, received {received}, late (> {LateAfterMs} ms) {late}, missing {missing} -> late-frame rate {lateRate:P3}");
        Console.WriteLine($"clock ticks {ticks}, late ticks (> {Ptime / 2} ms behind) {lateTicks} ({(ticks == 0 ? 0 : (double)lateTicks / ticks):P2})");
        Console.WriteLine($"relay: {relay}");
        Console.WriteLine($"CPU {cpu * 100:F0} % of one core ({cpu * 100 / Environment.ProcessorCount:F0} % of the machine), server and clients together");
        Console.WriteLine($"memory per call (server + both clients): GC heap {(heap1 - heap0) / 1024.0 / calls:F1} KiB, working set {(ws1 - ws0) / 1024.0 / calls:F1} KiB");
        Console.WriteLine(lateRate < 0.01 ? "PASS: under 1 % late frames" : "FAIL: 1 % or more late frames");

        foreach (var l in legs) await l.Session.DisposeAsync();
        try { await Task.WhenAll(receivers).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None); } catch (Exception e) when (e is OperationCanceledException or TimeoutException or IOException or RtcException) { }
        for (int i = 0; i < pairs; i++)
        {
            await callers[i].DisposeAsync();
            await callees[i].DisposeAsync();
        }
        foreach (var h in handlers) h.Dispose();
        return lateRate < 0.01 ? 0 : 1;
    }

    private static async Task<Leg> SetUpAsync(Uri uri, CallClient caller, IMediaTransport transport, string token, string calleeName, CancellationToken cancellationToken)
    {
        var call = await caller.PlaceCallAsync(calleeName, cancellationToken: cancellationToken);
        var media = transport.OpenAsync(new Uri(uri, call.MediaUri), token, cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return new Leg(call, await media);
    }

    private sealed class ClockStatistics
    {
        public long Sent, Ticks, LateTicks;
    }

    /// <summary>One clock for every leg, like the media pipeline's shared clock: a tick every ptime, never drifting.</summary>
    private static void Clock(List<Leg> legs, ClockStatistics s, CancellationToken cancellationToken)
    {
        int partitions = Environment.ProcessorCount;
        long period = Stopwatch.Frequency * Ptime / 1000, next = Stopwatch.GetTimestamp() + period;
        while (!cancellationToken.IsCancellationRequested)
        {
            long wait = next - Stopwatch.GetTimestamp();
            if (wait > 0) Thread.Sleep(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            if (Stopwatch.GetTimestamp() - next > period / 2) Interlocked.Increment(ref s.LateTicks);
            // Every core sends a share of the tick's frames, so one tick's sends fit well inside ptime.
            long due = next;
            Parallel.For(0, partitions, p =>
            {
                Span<byte> frame = stackalloc byte[1 + BenchServer.RtpHeaderLength + PayloadLength];
                for (int k = p; k < legs.Count; k += partitions)
                {
                    var l = legs[k];
                    int n = BenchServer.WriteFrame(frame, l.Flow, l.Sequence++, l.Ssrc, due, PayloadLength);
                    if (l.Session.TrySend(frame[..n])) Interlocked.Increment(ref s.Sent);
                }
            });
            Interlocked.Increment(ref s.Ticks);
            next += period;
        }
    }

    private static async Task ReceiveAsync(Leg leg, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        long lateTicks = (long)(LateAfterMs * Stopwatch.Frequency / 1000);
        while (!cancellationToken.IsCancellationRequested)
        {
            int n;
            try { n = await leg.Session.ReceiveAsync(buffer, cancellationToken); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or RtcException) { return; }
            if (n < 1 + BenchServer.RtpHeaderLength + 8) continue;
            Interlocked.Increment(ref leg.Received);
            if (Stopwatch.GetTimestamp() - BenchServer.ReadDue(buffer.AsSpan(0, n)) > lateTicks) Interlocked.Increment(ref leg.Late);
        }
    }
}
