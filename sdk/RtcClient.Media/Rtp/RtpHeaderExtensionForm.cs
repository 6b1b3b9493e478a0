namespace RtcClient.Media.Rtp;

/// <summary>RFC 8285 header extension forms.</summary>
public enum RtpHeaderExtensionForm
{
    /// <summary>No (or an unknown) extension profile.</summary>
    None,
    /// <summary>One-byte headers: ids 1-14, 1-16 bytes of data.</summary>
    OneByte,
    /// <summary>Two-byte headers: ids 1-255, 0-255 bytes of data.</summary>
    TwoByte,
}
