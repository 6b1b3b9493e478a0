namespace RtcClient.Quic.Recovery;

/// <summary>
/// Paces packets at N = 1.25 times congestion_window / smoothed_rtt (RFC 9002 section 7.7) with a
/// token bucket whose size is the burst allowance. Sans-IO: returns the time the next packet may
/// leave; the caller arms a timer for it. Times are microseconds. A caller whose timer cannot wake
/// it more often than every few milliseconds sets <see cref="BurstInterval"/>: the bucket then holds
/// at least that much time's worth of sending, so the rate is reached without waiting finer than the timer.
/// </summary>
public sealed class Pacer
{
    private long _tokens;
    private long _lastRefill;
    private bool _started;

    /// <summary>Creates a pacer.</summary>
    /// <param name="maxDatagramSize">Datagram size used for the burst allowance.</param>
    /// <param name="burstPackets">Packets that may leave back to back (bounded by the window).</param>
    public Pacer(int maxDatagramSize = 1200, int burstPackets = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDatagramSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burstPackets);
        MaxDatagramSize = maxDatagramSize;
        BurstPackets = burstPackets;
    }

    /// <summary>Largest datagram, bytes.</summary>
    public int MaxDatagramSize { get; set; }

    /// <summary>Burst allowance in datagrams.</summary>
    public int BurstPackets { get; set; }

    /// <summary>
    /// Microseconds of sending at the pacing rate the bucket may hold (0: only <see cref="BurstPackets"/>);
    /// the timer granularity of the caller. Never more than the congestion window.
    /// </summary>
    public long BurstInterval { get; set; }

    /// <summary>Bytes that may be sent right now without waiting (after the last refill).</summary>
    public long Tokens => _tokens;

    /// <summary>The bucket size for <paramref name="congestionWindow"/>: the burst allowance, but no more than the window and at least one datagram.</summary>
    public long Capacity(long congestionWindow) =>
        Math.Max(MaxDatagramSize, Math.Min((long)BurstPackets * MaxDatagramSize, congestionWindow));

    /// <summary>
    /// The bucket size for <paramref name="congestionWindow"/> and <paramref name="smoothedRtt"/>: the larger of the
    /// burst allowance and <see cref="BurstInterval"/> at the pacing rate, but no more than the window and at least one datagram.
    /// </summary>
    public long Capacity(long congestionWindow, long smoothedRtt)
    {
        long allowance = (long)BurstPackets * MaxDatagramSize;
        if (BurstInterval > 0)
        {
            Int128 interval = (Int128)BurstInterval * 5 * congestionWindow / (4 * Math.Max(smoothedRtt, 1));
            allowance = (long)Int128.Max(allowance, Int128.Min(interval, congestionWindow));
        }
        return Math.Max(MaxDatagramSize, Math.Min(allowance, congestionWindow));
    }

    /// <summary>
    /// When a packet of <paramref name="bytes"/> may be sent: <paramref name="now"/> when it may go
    /// immediately, otherwise the later time at which the rate has earned enough credit.
    /// </summary>
    public long GetNextSendTime(long now, int bytes, long congestionWindow, long smoothedRtt)
    {
        Refill(now, congestionWindow, smoothedRtt);
        long capacity = Capacity(congestionWindow, smoothedRtt);
        if (_tokens >= Math.Min(bytes, capacity))
        {
            return now;
        }
        long deficit = Math.Min(bytes, capacity) - _tokens;
        // time = deficit / rate, rate = 5 * cwnd / (4 * srtt) bytes per microsecond; rounded up.
        long rttNumerator = 4 * Math.Max(smoothedRtt, 1);
        long denominator = 5 * Math.Max(congestionWindow, 1);
        return now + (long)(((Int128)deficit * rttNumerator + denominator - 1) / denominator);
    }

    /// <summary>Charges a sent packet against the bucket.</summary>
    public void OnPacketSent(long now, int bytes, long congestionWindow, long smoothedRtt)
    {
        Refill(now, congestionWindow, smoothedRtt);
        _tokens = Math.Max(0, _tokens - bytes);
    }

    private void Refill(long now, long congestionWindow, long smoothedRtt)
    {
        long capacity = Capacity(congestionWindow, smoothedRtt);
        if (!_started)
        {
            _started = true;
            _lastRefill = now;
            _tokens = capacity;
            return;
        }
        long elapsed = now - _lastRefill;
        if (elapsed <= 0)
        {
            _tokens = Math.Min(_tokens, capacity);
            return;
        }
        _lastRefill = now;
        Int128 earned = (Int128)elapsed * 5 * congestionWindow / (4 * Math.Max(smoothedRtt, 1));
        _tokens = (long)Int128.Min(capacity, _tokens + earned);
    }
}
