using RtcClient.Media.Codecs;
using System.Diagnostics;
using RtcClient.Media.Clock;
using RtcClient.Media.Simulation;
using RtcClient.Media.Streams;
using RtcClient.Media.Io;

namespace RtcClient.Benchmarks.Media;

/// <summary>
/// Scenario: N bidirectional G.711 (PCMU) calls (each side sends and receives) in one process,
/// all ticked by one shared <see cref="MediaClock"/> over a simulated link with light loss and
/// jitter. Reports CPU share (process CPU time / wall time) and the late-tick rate.
/// Run: dotnet run -c Release --project tests/RtcClient.Benchmarks -- media-scenario [calls] [seconds] [--virtual]
/// </summary>
public static class MediaClockScenario
{
    private sealed class Tone : IAudioFrameSource
    {
        // 200 samples at 8 kHz hold exactly 11 periods of 440 Hz: a table replaces per-sample sine calls.
        private static readonly short[] Table = Enumerable.Range(0, 200).Select(i => (short)(8000 * Math.Sin(i * (2 * Math.PI * 440 / 8000)))).ToArray();
        private int _phase;

        public AudioFormat Format { get; } = new(8000);

        public bool ReadFrame(Span<short> frame)
        {
            // Copied in runs from the table, as a real PCM source copies its buffer (not a branch per sample).
            while (!frame.IsEmpty)
            {
                int n = Math.Min(frame.Length, Table.Length - _phase);
                Table.AsSpan(_phase, n).CopyTo(frame);
                frame = frame[n..];
                _phase = (_phase + n) % Table.Length;
            }
            return true;
        }
    }

    private sealed class NullSink : IAudioFrameSink
    {
        public AudioFormat Format { get; } = new(8000);

        public void WriteFrame(ReadOnlySpan<short> frame)
        {
        }
    }

    public static int Run(string[] args)
    {
        int calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        int seconds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
        bool virtualClock = args.Contains("--virtual");
        return virtualClock ? RunVirtual(calls, seconds) : RunReal(calls, seconds);
    }

    /// <summary>Real time on the shared clock thread: CPU share and late ticks as a deployment sees them.</summary>
    private static int RunReal(int calls, int seconds)
    {
        using var clock = new MediaClock();
        var receivers = Build(clock, calls);
        // Warm up (JIT, pools), then measure.
        Thread.Sleep(5000);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var stats0 = clock.Statistics;
        var wall = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        var elapsed = wall.Elapsed;
        var stats = clock.Statistics;
        long ticks = stats.Ticks - stats0.Ticks;
        long late = stats.LateTicks - stats0.LateTicks;
        Console.WriteLine($"mode=real calls={calls} streams(send+receive)={calls * 4} seconds={elapsed.TotalSeconds:F1}");
        Console.WriteLine($"cpu_share={cpu.TotalSeconds / elapsed.TotalSeconds:P1} of one core ({cpu.TotalSeconds:F2} s CPU / {elapsed.TotalSeconds:F2} s wall)");
        Console.WriteLine($"cpu_per_tick={cpu.TotalMilliseconds / Math.Max(1, ticks):F2} ms => cpu share at the full 50 ticks/s: {cpu.TotalSeconds / Math.Max(1, ticks) * 50:P1} of one core");
        Console.WriteLine($"ticks={ticks} late={late} late_rate={(ticks == 0 ? 0 : (double)late / ticks):P3} skipped={stats.SkippedTicks - stats0.SkippedTicks} max_lateness={stats.MaxLateness.TotalMilliseconds:F1} ms target_errors={stats.TargetErrors}");
        Report(receivers);
        return 0;
    }

    /// <summary>
    /// The same work on a virtual clock, as fast as it runs: the CPU cost per tick without the
    /// scheduler (on a loaded machine the real-time run mostly measures waiting for a core).
    /// </summary>
    private static int RunVirtual(int calls, int seconds)
    {
        var clock = new VirtualMediaClock();
        var receivers = Build(clock, calls);
        clock.Advance(TimeSpan.FromSeconds(2)); // warm up
        var thread0 = ThreadCpu();
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.StartNew();
        clock.Advance(TimeSpan.FromSeconds(seconds));
        var cpu = ThreadCpu() - thread0;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        long ticks = seconds * 50L;
        Console.WriteLine($"mode=virtual calls={calls} streams(send+receive)={calls * 4} media_seconds={seconds} wall={wall.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine($"cpu_per_tick={cpu.TotalMilliseconds / ticks:F2} ms => cpu share at 50 ticks/s: {cpu.TotalSeconds / ticks * 50:P1} of one core; allocated {allocated / (double)ticks:F0} B per tick");
        Report(receivers);
        return 0;
    }

    private static TimeSpan ThreadCpu()
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static void Report(List<AudioReceiveStream> receivers)
    {
        long received = receivers.Sum(r => r.Statistics.PacketsReceived);
        double mos = receivers.Average(r => r.Statistics.MeanOpinionScore);
        double concealed = receivers.Average(r => (double)r.Statistics.ConcealedSamples / Math.Max(1, r.Statistics.TotalSamples));
        Console.WriteLine($"packets_received_total={received} mean_mos={mos:F2} mean_concealed_fraction={concealed:P2}");
    }

    private static List<AudioReceiveStream> Build(IMediaClock clock, int calls)
    {
        var network = new SimulatedNetwork(clock, 1);
        clock.Register(network);
        var conditions = new LinkConditions { Delay = TimeSpan.FromMilliseconds(30), Jitter = TimeSpan.FromMilliseconds(10), LossRate = 0.01 };
        var receivers = new List<AudioReceiveStream>();
        var sink = new NullSink();
        for (int c = 0; c < calls; c++)
        {
            var a = new MediaSession();
            var b = new MediaSession();
            var toB = network.CreateLink(b, conditions);
            var toA = network.CreateLink(a, conditions);
            uint ssrcA = (uint)(2 * c + 1), ssrcB = (uint)(2 * c + 2);
            var sendA = new AudioSendStream(new AudioSendStreamOptions { FlowId = 0, RtcpFlowId = 1, Ssrc = ssrcA }, new G711Encoder(G711Law.MuLaw), new Tone(), toB);
            var sendB = new AudioSendStream(new AudioSendStreamOptions { FlowId = 0, RtcpFlowId = 1, Ssrc = ssrcB }, new G711Encoder(G711Law.MuLaw), new Tone(), toA);
            var recvA = new AudioReceiveStream(new AudioReceiveStreamOptions { RtcpFlowId = 1, LocalSsrc = ssrcA }, new G711Decoder(G711Law.MuLaw), sink, toB);
            var recvB = new AudioReceiveStream(new AudioReceiveStreamOptions { RtcpFlowId = 1, LocalSsrc = ssrcB }, new G711Decoder(G711Law.MuLaw), sink, toA);
            a.AddRtpFlow(0, recvA);
            b.AddRtpFlow(0, recvB);
            foreach (var (session, send, recv) in new[] { (a, sendA, recvA), (b, sendB, recvB) })
            {
                session.AddRtcpFlow(1);
                session.AddRtcpHandler(send);
                session.AddRtcpHandler(recv);
                clock.Register(send);
                clock.Register(recv);
            }
            receivers.Add(recvA);
            receivers.Add(recvB);
        }
        return receivers;
    }
}
