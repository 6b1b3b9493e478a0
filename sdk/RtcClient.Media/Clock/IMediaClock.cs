namespace RtcClient.Media.Clock;

/// <summary>
/// The one clock that drives every media stream of a process. Real (<see cref="MediaClock"/>) or
/// virtual (<see cref="VirtualMediaClock"/>) for deterministic tests.
/// </summary>
public interface IMediaClock
{
    /// <summary>Time since the clock started.</summary>
    TimeSpan Now { get; }

    /// <summary>Interval between ticks (one audio frame).</summary>
    TimeSpan TickInterval { get; }

    /// <summary>Adds a target; it receives ticks from the next tick on. Safe from any thread, also from inside a tick.</summary>
    void Register(IMediaTickable target);

    /// <summary>Removes a target; returns false when it was not registered. Safe from any thread, also from inside a tick.</summary>
    bool Unregister(IMediaTickable target);

    /// <summary>Counters about tick timeliness.</summary>
    MediaClockStatistics Statistics { get; }
}
