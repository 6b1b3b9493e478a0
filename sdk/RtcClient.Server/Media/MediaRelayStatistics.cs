namespace RtcClient.Server.Media;

/// <summary>Counters of the media relay (whole server).</summary>
public readonly record struct MediaRelayStatistics(long Forwarded, long DroppedNoPeer, long DroppedUnknownFlow, long DroppedNotLive, long DroppedRateLimited, long DroppedMalformed)
{
    /// <summary>Of <see cref="Forwarded"/>: datagrams that came a moment before the answer or the far end's session and waited for it.</summary>
    public long ForwardedAfterWaiting { get; init; }
}
