namespace RtcClient.Media.Rtp;

/// <summary>Why an RTP packet was accepted or rejected by <see cref="RtpPacket.TryParse"/>.</summary>
public enum RtpParseStatus
{
    /// <summary>Well-formed.</summary>
    Ok,
    /// <summary>Shorter than the 12-byte fixed header.</summary>
    Truncated,
    /// <summary>Version field is not 2.</summary>
    BadVersion,
    /// <summary>The CSRC list runs past the end of the packet.</summary>
    CsrcPastEnd,
    /// <summary>The header extension (or its length) runs past the end of the packet.</summary>
    ExtensionPastEnd,
    /// <summary>The padding count is zero or larger than what follows the header.</summary>
    BadPadding,
}
