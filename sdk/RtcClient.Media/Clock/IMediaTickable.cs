namespace RtcClient.Media.Clock;

/// <summary>Something the shared media clock drives once per tick (a stream, a simulated link).</summary>
public interface IMediaTickable
{
    /// <summary>
    /// Does one tick's work. <paramref name="now"/> is the tick's scheduled time on the clock (not
    /// the possibly later time it runs), so streams advance in exact frame steps. Must not block.
    /// </summary>
    void OnTick(TimeSpan now);
}
