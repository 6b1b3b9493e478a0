namespace RtcClient.Quic.Recovery;

/// <summary>
/// Round-trip time estimation (RFC 9002 section 5). All times are microseconds on the caller's
/// clock; nothing here reads a clock.
/// </summary>
public sealed class RttEstimator
{
    /// <summary>kGranularity: timer granularity, 1 ms (RFC 9002 section 6.1.2).</summary>
    public const long Granularity = 1_000;

    /// <summary>kInitialRtt: 333 ms before any sample (RFC 9002 section 6.2.2).</summary>
    public const long DefaultInitialRtt = 333_000;

    /// <summary>Creates an estimator in its initial state.</summary>
    /// <param name="initialRtt">RTT assumed before the first sample, microseconds.</param>
    public RttEstimator(long initialRtt = DefaultInitialRtt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialRtt);
        InitialRtt = initialRtt;
        Reset();
    }

    /// <summary>RTT used before the first sample.</summary>
    public long InitialRtt { get; }

    /// <summary>latest_rtt of the last sample (0 before any).</summary>
    public long LatestRtt { get; private set; }

    /// <summary>min_rtt: the minimum over the connection, ignoring ack delay (0 before any sample).</summary>
    public long MinRtt { get; private set; }

    /// <summary>smoothed_rtt.</summary>
    public long SmoothedRtt { get; private set; }

    /// <summary>rttvar.</summary>
    public long RttVariance { get; private set; }

    /// <summary>True once a sample was taken.</summary>
    public bool HasSample { get; private set; }

    /// <summary>Time of the first sample (first_rtt_sample in RFC 9002 Appendix B.8); 0 before any.</summary>
    public long FirstSampleTime { get; private set; }

    /// <summary>The base PTO period: smoothed_rtt + max(4 * rttvar, kGranularity), without max_ack_delay.</summary>
    public long PtoBase => SmoothedRtt + Math.Max(4 * RttVariance, Granularity);

    /// <summary>Returns to the pre-sample state (smoothed_rtt = kInitialRtt, rttvar = kInitialRtt / 2).</summary>
    public void Reset()
    {
        LatestRtt = 0;
        MinRtt = 0;
        SmoothedRtt = InitialRtt;
        RttVariance = InitialRtt / 2;
        HasSample = false;
        FirstSampleTime = 0;
    }

    /// <summary>
    /// Takes an RTT sample (RFC 9002 section 5.3).
    /// </summary>
    /// <param name="latestRtt">now minus the send time of the largest newly acknowledged packet.</param>
    /// <param name="ackDelay">The ACK frame's decoded ack delay (pass 0 for the Initial space, whose ACKs are never delayed).</param>
    /// <param name="maxAckDelay">The peer's max_ack_delay.</param>
    /// <param name="handshakeConfirmed">After confirmation ack delay is capped at max_ack_delay; before it, it is taken as reported.</param>
    /// <param name="now">Time of the sample.</param>
    public void Update(long latestRtt, long ackDelay, long maxAckDelay, bool handshakeConfirmed, long now)
    {
        latestRtt = Math.Max(latestRtt, 0);
        ackDelay = Math.Max(ackDelay, 0);
        LatestRtt = latestRtt;
        if (!HasSample)
        {
            HasSample = true;
            FirstSampleTime = now;
            MinRtt = latestRtt;
            SmoothedRtt = latestRtt;
            RttVariance = latestRtt / 2;
            return;
        }

        MinRtt = Math.Min(MinRtt, latestRtt);
        if (handshakeConfirmed)
        {
            ackDelay = Math.Min(ackDelay, maxAckDelay);
        }
        // Subtract ack delay only when that does not take the sample below min_rtt.
        long adjustedRtt = latestRtt >= MinRtt + ackDelay ? latestRtt - ackDelay : latestRtt;
        RttVariance = (3 * RttVariance + Math.Abs(SmoothedRtt - adjustedRtt)) / 4;
        SmoothedRtt = (7 * SmoothedRtt + adjustedRtt) / 8;
    }
}
