namespace RtcClient.Media.Jitter;

/// <summary>What the jitter buffer did with an inserted packet.</summary>
public enum JitterInsertResult
{
    /// <summary>Buffered for playout.</summary>
    Accepted,
    /// <summary>Already buffered (or already played): dropped.</summary>
    Duplicate,
    /// <summary>Arrived after its playout time: dropped.</summary>
    Late,
    /// <summary>Payload larger than a slot: dropped.</summary>
    TooLarge,
    /// <summary>A sequence/timestamp jump or SSRC change not yet confirmed by a following packet: dropped.</summary>
    Discontinuity,
    /// <summary>A confirmed jump or SSRC change: the buffer restarted on the new timeline with this packet.</summary>
    Resynchronized,
}
