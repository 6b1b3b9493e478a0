namespace RtcClient.Media.Streams;

/// <summary>Configuration of a <see cref="VideoSendStream"/>.</summary>
public sealed record VideoSendStreamOptions
{
    /// <summary>Flow id of the RTP flow.</summary>
    public required ulong FlowId { get; init; }

    /// <summary>Flow id of the RTCP flow.</summary>
    public required ulong RtcpFlowId { get; init; }

    /// <summary>SSRC of the stream.</summary>
    public required uint Ssrc { get; init; }

    /// <summary>H.264 payload type.</summary>
    public byte PayloadType { get; init; } = 96;

    /// <summary>Packets kept for answering NACKs (power of two).</summary>
    public int HistorySize { get; init; } = 512;

    /// <summary>Interval between sender reports.</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>SDES CNAME.</summary>
    public string Cname { get; init; } = "rtcclient";

    /// <summary>First sequence number.</summary>
    public ushort InitialSequenceNumber { get; init; }
}
