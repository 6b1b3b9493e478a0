using System.Diagnostics;
using RtcClient.Media.Clock;
using RtcClient.Media.Simulation;
using RtcClient.Media.Streams;

namespace RtcClient.Benchmarks.Media;

/// <summary>
/// Scenario: N bidirectional G.711-sized calls (each side sends and receives) in one process,
/// all ticked by one shared <see cref="MediaClock"/> over a simulated link with light loss and
/// jitter. Reports CPU share (process CPU time / wall time) and the late-tick rate.
/// Run: dotnet run -c Release --project tests/RtcClient.Benchmarks -- media-scenario [calls] [seconds]
/// </summary>
public static class MediaClockScenario
{
    private sealed class Tone : IAudioSource
    {
        // 200 samples at 8 kHz hold exactly 11 periods of 440 Hz: a table replaces per-sample sine calls.
        private static readonly short[] Table = Enumerable.Range(0, 200).Select(i => (short)(8000 * Math.Sin(i * (2 * Math.PI * 440 / 8000)))).ToArray();
        private int _phase;

        public bool ReadFrame(Span<short> frame)
        {
            for (int i = 0; i < frame.Length; i++)
            {
                frame[i] = Table[_phase];
                _phase = _phase == Table.Length - 1 ? 0 : _phase + 1;
            }
            return true;
        }
    }

    private sealed class NullSink : IAudioSink
    {
        public void WriteFrame(ReadOnlySpan<short> frame)
        {
        }
    }

    public static int Run(string[] args)
    {
        int calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        int seconds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
        using var clock = new MediaClock();
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
            var sendA = new AudioSendStream(new AudioSendStreamOptions { FlowId = 0, RtcpFlowId = 1, Ssrc = ssrcA }, new BenchmarkPcmCodec(), new Tone(), toB);
            var sendB = new AudioSendStream(new AudioSendStreamOptions { FlowId = 0, RtcpFlowId = 1, Ssrc = ssrcB }, new BenchmarkPcmCodec(), new Tone(), toA);
            var recvA = new AudioReceiveStream(new AudioReceiveStreamOptions { RtcpFlowId = 1, LocalSsrc = ssrcA }, new BenchmarkPcmCodec(), sink, toB);
            var recvB = new AudioReceiveStream(new AudioReceiveStreamOptions { RtcpFlowId = 1, LocalSsrc = ssrcB }, new BenchmarkPcmCodec(), sink, toA);
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
        // Warm up (JIT, pools), then measure.
        Thread.Sleep(2000);
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
        long received = receivers.Sum(r => r.Statistics.PacketsReceived);
        double mos = receivers.Average(r => r.Statistics.MeanOpinionScore);
        Console.WriteLine($"calls={calls} streams(send+receive)={calls * 4} seconds={elapsed.TotalSeconds:F1}");
        Console.WriteLine($"cpu_share={cpu.TotalSeconds / elapsed.TotalSeconds:P1} of one core ({cpu.TotalSeconds:F2} s CPU / {elapsed.TotalSeconds:F2} s wall)");
        Console.WriteLine($"cpu_per_tick={cpu.TotalMilliseconds / Math.Max(1, ticks):F2} ms => cpu share at the full 50 ticks/s: {cpu.TotalSeconds / Math.Max(1, ticks) * 50:P1} of one core");
        Console.WriteLine($"ticks={ticks} late={late} late_rate={(ticks == 0 ? 0 : (double)late / ticks):P3} skipped={stats.SkippedTicks - stats0.SkippedTicks} max_lateness={stats.MaxLateness.TotalMilliseconds:F1} ms target_errors={stats.TargetErrors}");
        Console.WriteLine($"packets_received_total={received} mean_mos={mos:F2}");
        return 0;
    }
}
