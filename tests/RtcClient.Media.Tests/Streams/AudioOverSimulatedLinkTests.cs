using RtcClient.Media.Simulation;
using RtcClient.Media.Tests.TestSupport;

namespace RtcClient.Media.Tests.Streams;

public class AudioOverSimulatedLinkTests
{
    [Test]
    public void Tone_over_lossy_jittery_link_keeps_its_frequency_and_concealment_matches_loss()
    {
        var call = new AudioCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(40), Jitter = TimeSpan.FromMilliseconds(30), LossRate = 0.05 }, seed: 7);
        call.Run(TimeSpan.FromSeconds(10));

        var link = call.Forward.Statistics;
        var jb = call.Receiver.JitterBufferStatistics;
        var stats = call.Receiver.Statistics;
        TestContext.Out.WriteLine($"link {link}; jb {jb}; stats {stats}");

        // Frequency: the second half (after adaptation) is dominated by 440 Hz.
        var played = call.Sink.Samples[(call.Sink.Count / 2)..];
        double at440 = Goertzel.Power(played, 440, 8000);
        foreach (double other in new[] { 300.0, 400.0, 480.0, 600.0, 880.0 })
            Assert.That(at440, Is.GreaterThan(20 * Goertzel.Power(played, other, 8000)), $"440 Hz vs {other} Hz");

        // Every RTP datagram the link dropped (minus RTCP ones and the few still in flight at the end) was concealed exactly once.
        Assert.That(link.Lost, Is.InRange(10, 50), "about 5 % of 500 packets + 10 SRs");
        long frames = jb.ConcealedSamples / 160;
        Assert.That(frames, Is.EqualTo(jb.LostFrames + jb.LatePackets), "one concealed frame per lost or late packet");
        Assert.That(jb.LostFrames, Is.InRange(link.Lost - 12, link.Lost), "lost frames match the link's drops (RTCP drops aside)");
        Assert.That(stats.PacketsLost, Is.InRange(jb.LostFrames - 2, jb.LostFrames + 2));
        Assert.That(stats.Malformed, Is.Zero);
        var rtt = call.Sender.Statistics.RoundTripTime;
        Assert.That(rtt, Is.Not.Null, "RTT from SR/RR (LSR/DLSR)");
        Assert.That(rtt!.Value.TotalMilliseconds, Is.InRange(60, 100), "40 ms + 0-30 ms jitter forward, 20 ms back");
        Assert.That(stats.MeanOpinionScore, Is.InRange(2.5, 4.5));
    }

    [Test]
    public void Without_jitter_playout_delay_stays_within_40_ms_and_nothing_is_concealed()
    {
        var call = new AudioCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(30) });
        var maxDelay = TimeSpan.Zero;
        for (int i = 0; i < 500; i++)
        {
            call.Clock.Step();
            if (i > 10)
                maxDelay = TimeSpan.FromTicks(Math.Max(maxDelay.Ticks, call.Receiver.Statistics.PlayoutDelay.Ticks));
        }
        var jb = call.Receiver.JitterBufferStatistics;
        TestContext.Out.WriteLine($"max delay {maxDelay}; {jb}");
        Assert.That(maxDelay, Is.LessThanOrEqualTo(TimeSpan.FromMilliseconds(40)));
        Assert.That(jb.ConcealedSamples, Is.Zero);
        Assert.That(jb.LostFrames, Is.Zero);
        Assert.That(jb.DecodedSamples, Is.GreaterThan(480 * 160));
    }

    [TestCase(0, 20)]
    [TestCase(30, 60)]
    [TestCase(40, 60)]
    [TestCase(41, 80)]
    public void Playout_starts_at_the_first_tick_one_frame_after_the_first_packet_arrived(int delayMs, int expectedMs)
    {
        // The start target is one frame (20 ms), not more: the first frame sent at tick 0 is played at the first
        // tick at least 20 ms after it arrived, i.e. delay + 20 ms rounded up to the tick.
        var call = new AudioCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(delayMs) });
        int firstAudibleStep = -1;
        for (int step = 0; step < 20 && firstAudibleStep < 0; step++)
        {
            int before = call.Sink.Count;
            call.Clock.Step();
            var frame = call.Sink.Samples[before..];
            long energy = 0;
            foreach (short x in frame)
                energy += x * x;
            if (frame.Length > 0 && energy / frame.Length > 1000 * 1000)
                firstAudibleStep = step;
        }
        Assert.That(firstAudibleStep, Is.GreaterThanOrEqualTo(0), "the tone was played");
        Assert.That(firstAudibleStep * 20, Is.EqualTo(expectedMs), "ms from the first frame's send tick to its playout tick");
        Assert.That(call.Receiver.JitterBufferStatistics.ConcealedSamples, Is.Zero, "and nothing was concealed to get there");
    }

    [Test]
    public void Loss_only_conceals_exactly_the_lost_frames()
    {
        var call = new AudioCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(30), LossRate = 0.05 }, seed: 3);
        call.Run(TimeSpan.FromSeconds(10));
        var jb = call.Receiver.JitterBufferStatistics;
        var link = call.Forward.Statistics;
        TestContext.Out.WriteLine($"{link}; {jb}");
        Assert.That(jb.LatePackets, Is.Zero);
        Assert.That(jb.ConcealedSamples / 160, Is.EqualTo(jb.LostFrames));
        Assert.That(jb.LostFrames, Is.InRange(link.Lost - 11, link.Lost), "RTCP SRs (10) may account for the difference");
        Assert.That(jb.LostFrames, Is.GreaterThan(10));
    }

    [Test]
    public void With_30_ms_jitter_delay_grows_then_settles()
    {
        var call = new AudioCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(30), Jitter = TimeSpan.FromMilliseconds(30) }, seed: 11);
        var delays = new List<double>();
        var playout = new List<double>();
        for (int i = 0; i < 500; i++)
        {
            call.Clock.Step();
            delays.Add(call.Receiver.Statistics.TargetDelay.TotalMilliseconds);
            playout.Add(call.Receiver.Statistics.PlayoutDelay.TotalMilliseconds);
        }
        var jb = call.Receiver.JitterBufferStatistics;
        TestContext.Out.WriteLine($"{jb}; target at 0.02 s {delays[0]}, 0.2 s {delays[10]}, 1 s {delays[50]}, 5 s {delays[250]}, 10 s {delays[499]}; playout avg last 5 s {playout.Skip(250).Average()}");
        Assert.That(delays[0], Is.EqualTo(20), "starts at one frame");
        Assert.That(delays[^1], Is.GreaterThan(30), "grew with the measured jitter");
        Assert.That(delays[^1], Is.LessThan(80), "but not without bound");
        Assert.That(playout.Skip(250).Average(), Is.GreaterThan(40), "playout delay above the no-jitter bound");
        var tail = delays.Skip(250).ToList();
        Assert.That(tail.Max() - tail.Min(), Is.LessThanOrEqualTo(20), "settled: the target moves by at most one frame in the last 5 s");
        // Late packets happen while learning, then stop.
        Assert.That(jb.LatePackets, Is.LessThan(25));
        Assert.That(jb.ConcealedSamples / 160, Is.LessThan(25));
    }

    [Test]
    public void Duplicated_and_reordered_datagrams_are_played_once_in_order()
    {
        var call = new AudioCall(new LinkConditions { Delay = TimeSpan.FromMilliseconds(30), DuplicationRate = 0.1, ReorderRate = 0.1, ReorderDelay = TimeSpan.FromMilliseconds(25) }, seed: 21);
        call.Run(TimeSpan.FromSeconds(10));
        var link = call.Forward.Statistics;
        var jb = call.Receiver.JitterBufferStatistics;
        TestContext.Out.WriteLine($"{link}; {jb}");
        Assert.That(link.Duplicated, Is.GreaterThan(20));
        Assert.That(link.Reordered, Is.GreaterThan(20));
        Assert.That(jb.Duplicates, Is.InRange(link.Duplicated - 5, link.Duplicated), "every extra RTP copy is recognised (some copies are RTCP or still in flight)");
        Assert.That(jb.LostFrames, Is.Zero);
        Assert.That(jb.ConcealedSamples / 160, Is.EqualTo(jb.LatePackets), "only packets held back past their playout time are concealed");
        var played = call.Sink.Samples[(call.Sink.Count / 2)..];
        Assert.That(Goertzel.Power(played, 440, 8000), Is.GreaterThan(100 * Goertzel.Power(played, 600, 8000)));
    }
}
