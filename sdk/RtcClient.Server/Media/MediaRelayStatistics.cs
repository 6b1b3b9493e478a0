namespace RtcClient.Server.Media;

/// <summary>Counters of the media relay (whole server).</summary>
public readonly record struct MediaRelayStatistics(long Forwarded, long DroppedNoPeer, long DroppedUnknownFlow, long DroppedNotLive, long DroppedRateLimited, long DroppedMalformed);
