namespace RtcClient.Quic.Recovery;

/// <summary>
/// NewReno congestion control as RFC 9002 section 7 and Appendix B describe it: slow start, a
/// recovery period entered once per round trip of losses, congestion avoidance growing by one
/// datagram per window acknowledged, and the minimum window after persistent congestion.
/// </summary>
public sealed class NewReno : ICongestionController
{
    // kLossReductionFactor is 0.5: the window is divided by this.
    private const int LossReductionDivisor = 2;

    private int _maxDatagramSize;
    private long _congestionRecoveryStartTime = long.MinValue;
    private long _bytesAckedInAvoidance;

    /// <summary>Creates the controller with kInitialWindow for <paramref name="maxDatagramSize"/>.</summary>
    public NewReno(int maxDatagramSize = 1200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramSize, 1200);
        _maxDatagramSize = maxDatagramSize;
        CongestionWindow = InitialWindow(maxDatagramSize);
    }

    /// <summary>kInitialWindow: min(10 * max_datagram_size, max(14720, 2 * max_datagram_size)).</summary>
    public static long InitialWindow(int maxDatagramSize) => Math.Min(10L * maxDatagramSize, Math.Max(14720L, 2L * maxDatagramSize));

    /// <inheritdoc/>
    public long CongestionWindow { get; private set; }

    /// <inheritdoc/>
    public long BytesInFlight { get; private set; }

    /// <summary>ssthresh (<see cref="long.MaxValue"/> until the first congestion event).</summary>
    public long SlowStartThreshold { get; private set; } = long.MaxValue;

    /// <summary>kMinimumWindow: 2 * max_datagram_size.</summary>
    public long MinimumWindow => 2L * _maxDatagramSize;

    /// <summary>True while in slow start.</summary>
    public bool InSlowStart => CongestionWindow < SlowStartThreshold;

    /// <summary>congestion_recovery_start_time, or <see cref="long.MinValue"/> when never in recovery.</summary>
    public long CongestionRecoveryStartTime => _congestionRecoveryStartTime;

    /// <inheritdoc/>
    public bool ApplicationLimited { get; set; }

    /// <inheritdoc/>
    public int MaxDatagramSize
    {
        get => _maxDatagramSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1200);
            _maxDatagramSize = value;
            CongestionWindow = Math.Max(CongestionWindow, MinimumWindow);
        }
    }

    /// <inheritdoc/>
    public bool CanSend(int bytes) => BytesInFlight + bytes <= CongestionWindow;

    /// <inheritdoc/>
    public void OnPacketSent(long now, int bytes) => BytesInFlight += bytes;

    /// <inheritdoc/>
    public void OnPacketsAcked(ReadOnlySpan<SentPacket> packets, long now)
    {
        foreach (var packet in packets)
        {
            if (!packet.InFlight)
            {
                continue;
            }
            BytesInFlight -= packet.SentBytes;
            // No growth for packets sent before the current recovery period began, nor when the
            // window was not the limit.
            if (ApplicationLimited || InCongestionRecovery(packet.TimeSent))
            {
                continue;
            }
            if (InSlowStart)
            {
                CongestionWindow += packet.SentBytes;
            }
            else
            {
                // Congestion avoidance: one max_datagram_size per congestion window acknowledged.
                _bytesAckedInAvoidance += packet.SentBytes;
                if (_bytesAckedInAvoidance >= CongestionWindow)
                {
                    _bytesAckedInAvoidance -= CongestionWindow;
                    CongestionWindow += _maxDatagramSize;
                }
            }
        }
    }

    /// <inheritdoc/>
    public void OnPacketsLost(ReadOnlySpan<SentPacket> packets, long now)
    {
        long lastLostSendTime = long.MinValue;
        foreach (var packet in packets)
        {
            if (packet.InFlight)
            {
                BytesInFlight -= packet.SentBytes;
                // A lost path MTU probe says the size is too large, not that the path is congested.
                if (!packet.IsPathMtuProbe) lastLostSendTime = Math.Max(lastLostSendTime, packet.TimeSent);
            }
        }
        if (lastLostSendTime != long.MinValue)
        {
            OnCongestionEvent(lastLostSendTime, now);
        }
    }

    /// <inheritdoc/>
    public void OnPersistentCongestion(long now)
    {
        CongestionWindow = MinimumWindow;
        _congestionRecoveryStartTime = long.MinValue;
        _bytesAckedInAvoidance = 0;
    }

    /// <inheritdoc/>
    public void OnPacketsDiscarded(long bytes) => BytesInFlight = Math.Max(0, BytesInFlight - bytes);

    private bool InCongestionRecovery(long sentTime) => sentTime <= _congestionRecoveryStartTime;

    private void OnCongestionEvent(long sentTime, long now)
    {
        // One reduction per round trip: losses of packets sent before recovery began are ignored.
        if (InCongestionRecovery(sentTime))
        {
            return;
        }
        _congestionRecoveryStartTime = now;
        SlowStartThreshold = CongestionWindow / LossReductionDivisor;
        CongestionWindow = Math.Max(SlowStartThreshold, MinimumWindow);
        _bytesAckedInAvoidance = 0;
    }
}
