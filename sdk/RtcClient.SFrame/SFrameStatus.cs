namespace RtcClient.SFrame;

/// <summary>Outcome of protecting or unprotecting one media frame.</summary>
public enum SFrameStatus
{
    /// <summary>The frame was encrypted or authenticated and decrypted.</summary>
    Success,

    /// <summary>The SFrame header is truncated or not minimally encoded, or the frame is shorter than header plus tag.</summary>
    MalformedFrame,

    /// <summary>No key is available for the KID (receiver) or no send key is configured (sender).</summary>
    KeyMissing,

    /// <summary>The tag did not verify: the frame, header or metadata was altered, or the key is wrong.</summary>
    AuthenticationFailed,

    /// <summary>The CTR was already accepted for this KID, or is older than the replay window.</summary>
    Replayed,

    /// <summary>The destination span is too small; nothing was written and no counter was consumed.</summary>
    DestinationTooSmall,

    /// <summary>The send key's counters are used up; the sender refuses to wrap and reuse a nonce.</summary>
    CounterExhausted,
}
