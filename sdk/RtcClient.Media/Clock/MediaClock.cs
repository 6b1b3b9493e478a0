using System.Diagnostics;

namespace RtcClient.Media.Clock;

/// <summary>
/// The process-wide media clock: one high-priority thread ticks every registered stream every
/// <see cref="TickInterval"/>. Sleeps until just after each deadline (no spinning), so ticks start
/// within about a millisecond without a timer per stream. Counts late ticks; when it falls far
/// behind it skips ticks instead of bursting. The thread asks the OS for a raised priority (see
/// <see cref="PriorityRaised"/>).
/// </summary>
public sealed class MediaClock : IMediaClock, IDisposable
{
    private static readonly Lazy<MediaClock> SharedInstance = new(() => new MediaClock());

    private readonly TickTargetList _targets = new();
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private readonly Thread _thread;
    private readonly TimeSpan _lateThreshold;
    private readonly int _maxCatchUpTicks;
    private volatile bool _stopping;
    private long _ticks;
    private long _lateTicks;
    private long _skippedTicks;
    private long _maxLatenessTicks;
    private long _errors;
    private volatile bool _priorityRaised;

    /// <summary>
    /// Starts a clock. <paramref name="lateThreshold"/> (default half a tick) is how far past its
    /// scheduled time a tick may start before it counts as late; after <paramref name="maxCatchUpTicks"/>
    /// overdue ticks the clock skips ahead.
    /// </summary>
    public MediaClock(TimeSpan? tickInterval = null, TimeSpan? lateThreshold = null, int maxCatchUpTicks = 5)
    {
        TickInterval = tickInterval ?? TimeSpan.FromMilliseconds(20);
        ArgumentOutOfRangeException.ThrowIfLessThan(TickInterval, TimeSpan.FromMilliseconds(1), nameof(tickInterval));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCatchUpTicks);
        _lateThreshold = lateThreshold ?? TickInterval / 2;
        _maxCatchUpTicks = maxCatchUpTicks;
        _thread = new Thread(Run) { IsBackground = true, Name = "RtcClient media clock" };
        try
        {
            _thread.Priority = ThreadPriority.Highest;
        }
        catch (PlatformNotSupportedException)
        {
            // Priority is a hint; the clock still works at normal priority.
        }
        _thread.Start();
    }

    /// <summary>The process-wide clock (20 ms ticks), started on first use.</summary>
    public static MediaClock Shared => SharedInstance.Value;

    /// <inheritdoc/>
    public TimeSpan Now => _stopwatch.Elapsed;

    /// <inheritdoc/>
    public TimeSpan TickInterval { get; }

    /// <summary>
    /// True when the OS raised the clock thread's scheduling priority (Linux: nice −10, which needs
    /// CAP_SYS_NICE); false when it runs at the default priority, where a busy machine delays more ticks.
    /// </summary>
    public bool PriorityRaised => _priorityRaised;

    /// <inheritdoc/>
    public MediaClockStatistics Statistics => new(Interlocked.Read(ref _ticks), Interlocked.Read(ref _lateTicks),
        Interlocked.Read(ref _skippedTicks), TimeSpan.FromTicks(Interlocked.Read(ref _maxLatenessTicks)),
        Interlocked.Read(ref _errors), _targets.Snapshot.Length);

    /// <inheritdoc/>
    public void Register(IMediaTickable target) => _targets.Add(target);

    /// <inheritdoc/>
    public bool Unregister(IMediaTickable target) => _targets.Remove(target);

    /// <summary>Stops the thread (waits for the current tick to finish).</summary>
    public void Dispose()
    {
        _stopping = true;
        if (Thread.CurrentThread != _thread)
            _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Run()
    {
        _priorityRaised = ClockThreadPriority.TryRaiseCurrentThread();
        TimeSpan next = TickInterval;
        while (!_stopping)
        {
            WaitUntil(next);
            if (_stopping)
                return;
            TimeSpan lateness = Now - next;
            if (lateness > TickInterval * _maxCatchUpTicks)
            {
                // Too far behind to catch up without a burst: skip to the current slot.
                long skip = lateness.Ticks / TickInterval.Ticks;
                Interlocked.Add(ref _skippedTicks, skip);
                next += TickInterval * skip;
                lateness = Now - next;
            }
            if (lateness > _lateThreshold)
                Interlocked.Increment(ref _lateTicks);
            if (lateness.Ticks > Interlocked.Read(ref _maxLatenessTicks))
                Interlocked.Exchange(ref _maxLatenessTicks, lateness.Ticks);
            int errors = _targets.Tick(next);
            if (errors != 0)
                Interlocked.Add(ref _errors, errors);
            Interlocked.Increment(ref _ticks);
            next += TickInterval;
        }
    }

    private void WaitUntil(TimeSpan deadline)
    {
        while (!_stopping)
        {
            TimeSpan remaining = deadline - Now;
            if (remaining <= TimeSpan.Zero)
                return;
            // Round up to whole milliseconds: wake just after the deadline instead of spinning before it
            // (lateness of about a millisecond is harmless: ticks carry their scheduled time).
            Thread.Sleep((int)Math.Ceiling(remaining.TotalMilliseconds));
        }
    }
}
