namespace RtcClient.SFrame;

/// <summary>Outcome of decoding an SFrame header from untrusted bytes.</summary>
public enum SFrameHeaderStatus
{
    /// <summary>The header is well formed.</summary>
    Valid,

    /// <summary>The input ends before the header does.</summary>
    Truncated,

    /// <summary>
    /// A KID or CTR is not in its minimal encoding (a value below 8 in the extended form, or a
    /// leading zero byte), which RFC 9605 section 4.3 forbids.
    /// </summary>
    NonMinimalEncoding,
}
