namespace RtcClient.Http3.Capsules;

/// <summary>Capsule types (RFC 9297 section 3.5 and WebTransport over HTTP/3).</summary>
internal static class CapsuleType
{
    public const long Datagram = 0x00;

    /// <summary>WT_CLOSE_SESSION: 32-bit application error code then a UTF-8 message of at most 1024 bytes.</summary>
    public const long WebTransportCloseSession = 0x2843;

    /// <summary>WT_DRAIN_SESSION: empty.</summary>
    public const long WebTransportDrainSession = 0x78ae;
}
