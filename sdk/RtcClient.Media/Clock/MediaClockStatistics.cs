namespace RtcClient.Media.Clock;

/// <summary>Timeliness of a media clock.</summary>
/// <param name="Ticks">Ticks run.</param>
/// <param name="LateTicks">Ticks that started more than the lateness threshold after their scheduled time.</param>
/// <param name="SkippedTicks">Ticks dropped because the clock fell too far behind to catch up.</param>
/// <param name="MaxLateness">Largest lateness seen.</param>
/// <param name="TargetErrors">Exceptions thrown by targets (caught, counted, the target keeps its registration).</param>
/// <param name="Targets">Currently registered targets.</param>
public readonly record struct MediaClockStatistics(long Ticks, long LateTicks, long SkippedTicks, TimeSpan MaxLateness, long TargetErrors, int Targets)
{
    /// <summary>Fraction of ticks that were late.</summary>
    public double LateTickRate => Ticks == 0 ? 0 : (double)LateTicks / Ticks;
}
