namespace RtcClient.Quic.Recovery;

/// <summary>
/// A congestion controller (RFC 9002 section 7), pluggable so NewReno can later be joined by CUBIC or
/// BBR. Called by <see cref="LossDetector"/>; times are microseconds.
/// </summary>
public interface ICongestionController
{
    /// <summary>congestion_window in bytes.</summary>
    long CongestionWindow { get; }

    /// <summary>bytes_in_flight.</summary>
    long BytesInFlight { get; }

    /// <summary>Set by the connection when it stopped sending for lack of data or flow-control credit while the window allowed more; the window then does not grow (RFC 9002 section 7.8).</summary>
    bool ApplicationLimited { get; set; }

    /// <summary>Largest UDP payload the path carries; the window is counted in multiples of it.</summary>
    int MaxDatagramSize { get; set; }

    /// <summary>True when a packet of <paramref name="bytes"/> fits in the window.</summary>
    bool CanSend(int bytes);

    /// <summary>An in-flight packet of <paramref name="bytes"/> was sent.</summary>
    void OnPacketSent(long now, int bytes);

    /// <summary>In-flight packets were newly acknowledged (other packets in the span are ignored).</summary>
    void OnPacketsAcked(ReadOnlySpan<SentPacket> packets, long now);

    /// <summary>In-flight packets were declared lost: one congestion event (other packets in the span are ignored).</summary>
    void OnPacketsLost(ReadOnlySpan<SentPacket> packets, long now);

    /// <summary>Persistent congestion was established (RFC 9002 section 7.6).</summary>
    void OnPersistentCongestion(long now);

    /// <summary>In-flight bytes left the network without a congestion signal (keys discarded).</summary>
    void OnPacketsDiscarded(long bytes);
}
