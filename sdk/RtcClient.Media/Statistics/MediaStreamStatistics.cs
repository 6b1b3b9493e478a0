namespace RtcClient.Media.Statistics;

/// <summary>A snapshot of one media stream's statistics (public API; cheap to take).</summary>
public sealed record MediaStreamStatistics
{
    /// <summary>RTP packets sent.</summary>
    public long PacketsSent { get; init; }

    /// <summary>RTP payload bytes sent.</summary>
    public long BytesSent { get; init; }

    /// <summary>RTP packets received (valid ones).</summary>
    public long PacketsReceived { get; init; }

    /// <summary>RTP payload bytes received.</summary>
    public long BytesReceived { get; init; }

    /// <summary>Packets lost per RFC 3550 (expected minus received). For a send stream: as the remote reported.</summary>
    public long PacketsLost { get; init; }

    /// <summary>Fraction of packets lost, 0-1 (receive: cumulative; send: last remote report).</summary>
    public double LossRate { get; init; }

    /// <summary>Datagrams dropped as malformed (truncated, bad lengths, bad version).</summary>
    public long Malformed { get; init; }

    /// <summary>Interarrival jitter (receive: measured; send: as the remote reported).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Round-trip time from RTCP SR/RR (LSR/DLSR), null until known.</summary>
    public TimeSpan? RoundTripTime { get; init; }

    /// <summary>Samples concealed (audio receive streams).</summary>
    public long ConcealedSamples { get; init; }

    /// <summary>
    /// Samples of comfort noise played while the sender was silent (RFC 3389 CN, Opus DTX; audio
    /// receive streams): part of <see cref="TotalSamples"/>, not of <see cref="ConcealedSamples"/>.
    /// </summary>
    public long ComfortNoiseSamples { get; init; }

    /// <summary>Samples played out in total (audio receive streams).</summary>
    public long TotalSamples { get; init; }

    /// <summary>Current jitter buffer playout delay (audio receive streams).</summary>
    public TimeSpan PlayoutDelay { get; init; }

    /// <summary>Jitter buffer target delay (audio receive streams).</summary>
    public TimeSpan TargetDelay { get; init; }

    /// <summary>Bitrate over the last second in bits per second (payload plus RTP headers).</summary>
    public double Bitrate { get; init; }

    /// <summary>E-model transmission rating (audio), 0-100.</summary>
    public double RFactor { get; init; }

    /// <summary>E-model MOS estimate (audio), 1-4.5.</summary>
    public double MeanOpinionScore { get; init; }

    /// <summary>Key frame requests sent (video receive) or received (video send).</summary>
    public long KeyFrameRequests { get; init; }

    /// <summary>NACKed packets requested (video receive) or retransmitted (video send).</summary>
    public long Retransmissions { get; init; }

    /// <summary>Frames completed (video receive) or sent (video send).</summary>
    public long Frames { get; init; }
}
