using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace RtcClient.Benchmarks.Profiling;

/// <summary>
/// A sampling CPU profile of this process through EventPipe (the runtime's sample profiler, about one sample per
/// millisecond per thread): start it, run the work, then print the methods that were on the CPU most, by exclusive
/// and inclusive sample counts. Samples of threads parked in a wait or a blocking receive are left out.
/// </summary>
internal sealed class EventPipeCpuSampler : IAsyncDisposable
{
    private static readonly string[] s_idle =
    [
        "WaitHandle.Wait", "Monitor.Wait", "LowLevelLifoSemaphore", "Thread.Sleep", "WaitOneCore", "WaitForSignal",
        "Socket.ReceiveFrom", "SocketPal.ReceiveFrom", "Interop+Sys.ReceiveMessage", "Interop+Sys.Read", "PortableThreadPool+GateThread",
        "LowLevelMonitor", "Interop+Sys.WaitForSocketEvents", "SocketAsyncEngine.EventLoop", "Thread.Join", "TimerQueue.TimerThread",
    ];

    private readonly EventPipeSession _session;
    private readonly string _path;
    private readonly FileStream _file;
    private readonly Task _copy;

    private EventPipeCpuSampler(EventPipeSession session, string path, FileStream file, Task copy)
    {
        _session = session;
        _path = path;
        _file = file;
        _copy = copy;
    }

    public static EventPipeCpuSampler Start()
    {
        var client = new DiagnosticsClient(Environment.ProcessId);
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, 0x10 | 0x8), // JIT + loader: method names
        };
        var session = client.StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 512);
        string path = Path.Combine(Path.GetTempPath(), $"rtc-cpu-{Environment.ProcessId}.nettrace");
        var file = File.Create(path);
        var copy = session.EventStream.CopyToAsync(file);
        return new EventPipeCpuSampler(session, path, file, copy);
    }

    /// <summary>Stops sampling and prints the top <paramref name="top"/> methods.</summary>
    public async Task ReportAsync(TextWriter output, int top = 30)
    {
        await _session.StopAsync(CancellationToken.None);
        await _copy;
        await _file.DisposeAsync();
        string etlx = TraceLog.CreateFromEventPipeDataFile(_path);
        using var log = new TraceLog(etlx);
        var exclusive = new Dictionary<string, int>();
        var contended = new Dictionary<string, int>(); // who waited for a lock (the first frame outside the lock)
        var inclusive = new Dictionary<string, int>();
        int samples = 0;
        var seen = new HashSet<string>();
        foreach (var e in log.Events)
        {
            if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler")
                continue;
            var stack = e.CallStack();
            if (stack is null)
                continue;
            var frames = new List<string>();
            for (var f = stack; f is not null; f = f.Caller)
                frames.Add(Name(f));
            if (frames.Any(n => s_idle.Any(i => n.Contains(i, StringComparison.Ordinal))))
                continue;
            samples++;
            exclusive[frames[0]] = exclusive.GetValueOrDefault(frames[0]) + 1;
            int inLock = frames.FindIndex(n => n.StartsWith("System.Threading.Lock.", StringComparison.Ordinal) || n.StartsWith("System.Threading.Monitor.", StringComparison.Ordinal));
            if (inLock >= 0 && frames.Skip(inLock).FirstOrDefault(n => !n.StartsWith("System.Threading.", StringComparison.Ordinal)) is { } waiter)
                contended[waiter] = contended.GetValueOrDefault(waiter) + 1;
            seen.Clear();
            foreach (var n in frames)
            {
                if (seen.Add(n))
                    inclusive[n] = inclusive.GetValueOrDefault(n) + 1;
            }
        }

        output.WriteLine($"CPU samples (threads not waiting): {samples}");
        output.WriteLine("-- exclusive --");
        foreach (var (name, n) in exclusive.OrderByDescending(kv => kv.Value).Take(top))
            output.WriteLine($"{100.0 * n / Math.Max(1, samples),6:F1}%  {name}");
        output.WriteLine("-- waiting for a lock, by caller --");
        foreach (var (name, n) in contended.OrderByDescending(kv => kv.Value).Take(10))
            output.WriteLine($"{100.0 * n / Math.Max(1, samples),6:F1}%  {name}");
        output.WriteLine("-- inclusive --");
        foreach (var (name, n) in inclusive.OrderByDescending(kv => kv.Value).Take(top * 2))
            output.WriteLine($"{100.0 * n / Math.Max(1, samples),6:F1}%  {name}");
    }

    private static string Name(TraceCallStack frame)
    {
        var method = frame.CodeAddress.Method;
        return method is null ? frame.CodeAddress.ModuleName + "!?" : method.FullMethodName;
    }

    public async ValueTask DisposeAsync()
    {
        _session.Dispose();
        await _file.DisposeAsync();
        foreach (var p in new[] { _path, Path.ChangeExtension(_path, ".etlx") })
        {
            if (File.Exists(p))
                File.Delete(p);
        }
    }
}
