namespace RtcClient.Media.Streams;

/// <summary>Configuration of a <see cref="VideoReceiveStream"/>.</summary>
public sealed record VideoReceiveStreamOptions
{
    /// <summary>Flow id of the RTCP flow feedback goes out on.</summary>
    public required ulong RtcpFlowId { get; init; }

    /// <summary>Our SSRC (sender of feedback).</summary>
    public required uint LocalSsrc { get; init; }

    /// <summary>Send RFC 4585 generic NACKs for sequence gaps.</summary>
    public bool EnableNack { get; init; } = true;

    /// <summary>Shortest interval between two PLIs while a key frame is needed.</summary>
    public TimeSpan PliInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Packets a gap may stay open (for reordering and retransmission) before it counts as loss.</summary>
    public int ReorderWindow { get; init; } = 32;

    /// <summary>Interval between receiver reports.</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(1);
}
