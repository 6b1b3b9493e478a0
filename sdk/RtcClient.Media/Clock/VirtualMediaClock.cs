namespace RtcClient.Media.Clock;

/// <summary>
/// A media clock that only moves when told to: tests advance it and every registered target ticks
/// in registration order, deterministically, with no threads.
/// </summary>
public sealed class VirtualMediaClock : IMediaClock
{
    private readonly TickTargetList _targets = new();
    private long _ticks;
    private long _errors;

    /// <summary>Creates a clock ticking every <paramref name="tickInterval"/> (default 20 ms).</summary>
    public VirtualMediaClock(TimeSpan? tickInterval = null)
    {
        TickInterval = tickInterval ?? TimeSpan.FromMilliseconds(20);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TickInterval, TimeSpan.Zero, nameof(tickInterval));
    }

    /// <inheritdoc/>
    public TimeSpan Now { get; private set; }

    /// <inheritdoc/>
    public TimeSpan TickInterval { get; }

    /// <inheritdoc/>
    public MediaClockStatistics Statistics => new(_ticks, 0, 0, TimeSpan.Zero, _errors, _targets.Snapshot.Length);

    /// <inheritdoc/>
    public void Register(IMediaTickable target) => _targets.Add(target);

    /// <inheritdoc/>
    public bool Unregister(IMediaTickable target) => _targets.Remove(target);

    /// <summary>Moves time forward by one tick interval and ticks every target.</summary>
    public void Step()
    {
        Now += TickInterval;
        _ticks++;
        _errors += _targets.Tick(Now);
    }

    /// <summary>Steps until <paramref name="duration"/> has passed (rounded down to whole ticks).</summary>
    public void Advance(TimeSpan duration)
    {
        long steps = duration.Ticks / TickInterval.Ticks;
        for (long i = 0; i < steps; i++)
            Step();
    }
}
