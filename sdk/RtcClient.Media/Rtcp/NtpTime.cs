namespace RtcClient.Media.Rtcp;

/// <summary>Conversions between media clock time and the NTP formats RTCP uses.</summary>
public static class NtpTime
{
    /// <summary>64-bit NTP timestamp (32.32 fixed point seconds) for a time measured from the clock's epoch.</summary>
    public static ulong FromTimeSpan(TimeSpan time)
    {
        long ticks = Math.Max(0, time.Ticks);
        ulong seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        ulong fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    /// <summary>Middle 32 bits (16.16 fixed point seconds) for a time measured from the clock's epoch.</summary>
    public static uint ToCompact(TimeSpan time) => (uint)(FromTimeSpan(time) >> 16);

    /// <summary>A 16.16 fixed-point duration (as in DLSR and RTT arithmetic) as a TimeSpan.</summary>
    public static TimeSpan FromCompactDuration(uint compact) => TimeSpan.FromTicks((long)compact * TimeSpan.TicksPerSecond / 65536);

    /// <summary>A TimeSpan as a 16.16 fixed-point duration (DLSR).</summary>
    public static uint ToCompactDuration(TimeSpan duration) => (uint)Math.Clamp(duration.Ticks * 65536 / TimeSpan.TicksPerSecond, 0, uint.MaxValue);
}
