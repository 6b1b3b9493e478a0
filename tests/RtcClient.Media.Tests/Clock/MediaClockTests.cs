using RtcClient.Media.Clock;

namespace RtcClient.Media.Tests.Clock;

public class MediaClockTests
{
    private sealed class Counter : IMediaTickable
    {
        public int Ticks;
        public Action? OnTickAction;

        public void OnTick(TimeSpan now)
        {
            Interlocked.Increment(ref Ticks);
            OnTickAction?.Invoke();
        }
    }

    [Test]
    public void Virtual_clock_ticks_targets_in_order_and_allows_unregistering_inside_a_tick()
    {
        var clock = new VirtualMediaClock();
        var a = new Counter();
        var b = new Counter();
        clock.Register(a);
        clock.Register(b);
        a.OnTickAction = () => clock.Unregister(b);
        clock.Step();
        Assert.That((a.Ticks, b.Ticks), Is.EqualTo((1, 1)), "b still ticks in the snapshot of this tick");
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.That((a.Ticks, b.Ticks), Is.EqualTo((6, 1)));
        Assert.That(clock.Now, Is.EqualTo(TimeSpan.FromMilliseconds(120)));
    }

    [Test]
    public void Throwing_target_does_not_stop_the_clock()
    {
        var clock = new VirtualMediaClock();
        var good = new Counter();
        clock.Register(new Counter { OnTickAction = () => throw new InvalidOperationException("broken stream") });
        clock.Register(good);
        clock.Advance(TimeSpan.FromMilliseconds(60));
        Assert.That(good.Ticks, Is.EqualTo(3));
        Assert.That(clock.Statistics.TargetErrors, Is.EqualTo(3));
    }

    [Test]
    public void Real_clock_ticks_every_interval_from_one_thread()
    {
        using var clock = new MediaClock(TimeSpan.FromMilliseconds(10));
        var counter = new Counter();
        clock.Register(counter);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Volatile.Read(ref counter.Ticks) < 20 && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        Assert.That(counter.Ticks, Is.GreaterThanOrEqualTo(20));
        Assert.That(clock.Unregister(counter), Is.True);
        Assert.That(clock.Statistics.Ticks, Is.GreaterThanOrEqualTo(20));
    }
}
