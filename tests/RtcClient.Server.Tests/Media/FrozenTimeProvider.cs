namespace RtcClient.Server.Tests.Media;

/// <summary>A clock that does not move unless told, so rate limits and timers are deterministic.</summary>
internal sealed class FrozenTimeProvider : TimeProvider
{
    private long _now = 1_000_000;

    public override long GetTimestamp() => Interlocked.Read(ref _now);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _now, (long)(by.TotalSeconds * TimestampFrequency));
}
