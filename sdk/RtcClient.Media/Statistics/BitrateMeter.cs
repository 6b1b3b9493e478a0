namespace RtcClient.Media.Statistics;

/// <summary>Bits per second over one-second buckets (allocation-free).</summary>
internal sealed class BitrateMeter
{
    private long _bucketStart = long.MinValue;
    private long _bucketBytes;
    private double _lastBitrate;

    public void Add(TimeSpan now, int bytes)
    {
        Roll(now);
        _bucketBytes += bytes;
    }

    public double Bitrate(TimeSpan now)
    {
        Roll(now);
        return _lastBitrate;
    }

    private void Roll(TimeSpan now)
    {
        long second = now.Ticks / TimeSpan.TicksPerSecond;
        if (second == _bucketStart)
            return;
        _lastBitrate = second == _bucketStart + 1 ? _bucketBytes * 8.0 : 0;
        _bucketStart = second;
        _bucketBytes = 0;
    }
}
