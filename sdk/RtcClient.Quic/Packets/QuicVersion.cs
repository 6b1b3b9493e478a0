namespace RtcClient.Quic.Packets;

/// <summary>QUIC version numbers (RFC 9000 section 15) and connection ID limits that depend on them.</summary>
public static class QuicVersion
{
    /// <summary>QUIC version 1 (RFC 9000).</summary>
    public const uint Version1 = 0x00000001;

    /// <summary>The version field of a Version Negotiation packet.</summary>
    public const uint Negotiation = 0x00000000;

    /// <summary>Longest connection ID in QUIC version 1 (RFC 9000 section 17.2).</summary>
    public const int MaxConnectionIdLength = 20;

    /// <summary>Smallest UDP payload a client's Initial datagram may have (RFC 9000 section 14.1).</summary>
    public const int MinInitialDatagramSize = 1200;

    /// <summary>True for the versions this stack speaks.</summary>
    public static bool IsSupported(uint version) => version == Version1;

    /// <summary>
    /// True for the reserved versions of the form 0x?a?a?a?a used to exercise version negotiation
    /// (RFC 9000 section 15).
    /// </summary>
    public static bool IsReservedForNegotiation(uint version) => (version & 0x0F0F0F0F) == 0x0A0A0A0A;
}
