using System.Collections.Concurrent;
using System.Diagnostics;
using RtcClient.Media.Clock;

namespace RtcClient.Benchmarks.Calls;

/// <summary>
/// N concurrent calls with the SDK's own call audio both ways (Call.AudioSource; the SDK encodes, sends
/// through the relay, jitter-buffers and decodes on the one shared MediaClock). Late frames are the
/// receive side's concealed samples and the clock's late ticks.
/// </summary>
internal static class CallAudioCapacity
{

    public static async Task<int> RunAsync(int calls, int pairs, int seconds, string codec, CancellationToken cancellationToken)
    {
        pairs = BenchServer.ClientPairs(calls, pairs);
        var names = Enumerable.Range(0, pairs).SelectMany(i => new[] { $"caller{i}", $"callee{i}" }).ToList();
        var advertisement = codec == "opus" ? Advertisements.Default : Advertisements.G711Only;
        Console.WriteLine($"call-capacity --audio: {calls} calls over {pairs} client pairs, SDK audio both ways ({codec}), {seconds} s measured; {Environment.ProcessorCount} cores");
        await using var server = await BenchServer.StartAsync(names, cancellationToken);
        var clients = new List<CallClient>();
        var callerClients = new CallClient[pairs];
        var answered = new ConcurrentBag<Call>();
        for (int i = 0; i < pairs; i++)
        {
            callerClients[i] = await BenchServer.ConnectAsync(server, server.Uri, $"caller{i}", cancellationToken, advertisement);
            var callee = await BenchServer.ConnectAsync(server, server.Uri, $"callee{i}", cancellationToken, advertisement);
            callee.IncomingCall += (_, call) =>
            {
                call.AudioSource = new SquareWaveSource();
                answered.Add(call);
                _ = call.AnswerAsync(cancellationToken: cancellationToken);
            };
            clients.Add(callerClients[i]);
            clients.Add(callee);
        }
        var (heap0, ws0) = BenchServer.Memory();
        var placed = new List<Call>(calls);
        using (var gate = new SemaphoreSlim(16))
        {
            var tasks = Enumerable.Range(0, calls).Select(async j =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var call = await callerClients[j % pairs].PlaceCallAsync($"callee{j % pairs}", cancellationToken: cancellationToken);
                    call.AudioSource = new SquareWaveSource();
                    await call.MediaConnected.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                    return call;
                }
                finally { gate.Release(); }
            }).ToList();
            foreach (var t in tasks) placed.Add(await t);
        }
        var all = placed.Concat(answered).ToList();
        await Task.WhenAll(all.Select(c => c.MediaConnected)).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var (heap1, ws1) = BenchServer.Memory();
        // Warm-up: jitter buffers fill, and tiered compilation (with its instrumented tier) settles; after 2 s it
        // still took ~14 % of the samples of the measured window.
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);

        var clock0 = MediaClock.Shared.Statistics;
        var (concealed0, total0) = Received(all);
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds / wall.Elapsed.TotalSeconds;
        var clock1 = MediaClock.Shared.Statistics;
        var (concealed1, total1) = Received(all);

        long ticks = clock1.Ticks - clock0.Ticks, lateTicks = clock1.LateTicks - clock0.LateTicks;
        long total = total1 - total0, concealed = concealed1 - concealed0;
        double concealedRate = total == 0 ? 1 : (double)concealed / total;
        Console.WriteLine($"received samples {total}, concealed {concealed} ({concealedRate:P3}); shared clock ticks {ticks}, late {lateTicks} ({(ticks == 0 ? 0 : (double)lateTicks / ticks):P3}), skipped {clock1.SkippedTicks - clock0.SkippedTicks}, max lateness {clock1.MaxLateness.TotalMilliseconds:F1} ms");
        Console.WriteLine($"relay: {server.Relay.Statistics}; media clock thread priority raised: {MediaClock.Shared.PriorityRaised}");
        Console.WriteLine($"CPU {cpu * 100:F0} % of one core ({cpu * 100 / Environment.ProcessorCount:F0} % of the machine), server and clients together");
        Console.WriteLine($"memory per call (server + both clients): GC heap {(heap1 - heap0) / 1024.0 / calls:F1} KiB, working set {(ws1 - ws0) / 1024.0 / calls:F1} KiB");
        bool pass = concealedRate < 0.01 && (ticks == 0 || (double)lateTicks / ticks < 0.01);
        Console.WriteLine(pass ? "PASS: under 1 % late frames" : "FAIL: 1 % or more late frames");
        foreach (var c in clients) await c.DisposeAsync();
        return pass ? 0 : 1;
    }

    private static (long Concealed, long Total) Received(List<Call> calls)
    {
        long concealed = 0, total = 0;
        foreach (var c in calls)
        {
            var r = c.GetStatistics().AudioReceive;
            if (r is null) continue;
            concealed += r.ConcealedSamples;
            total += r.TotalSamples;
        }
        return (concealed, total);
    }

}
