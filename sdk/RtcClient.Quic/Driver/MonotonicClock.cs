using System.Diagnostics;

namespace RtcClient.Quic.Driver;

/// <summary>The driver's clock: microseconds from <see cref="Stopwatch"/>, the unit the connection core uses.</summary>
internal static class MonotonicClock
{
    private static readonly double TicksToMicroseconds = 1_000_000.0 / Stopwatch.Frequency;

    /// <summary>Now, in microseconds.</summary>
    public static long Now => (long)(Stopwatch.GetTimestamp() * TicksToMicroseconds);
}
