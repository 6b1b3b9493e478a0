namespace RtcClient.Quic.Packets;

/// <summary>QUIC packet types (RFC 9000 section 17).</summary>
public enum PacketType
{
    /// <summary>Initial (long header, type 0x0).</summary>
    Initial = 0,
    /// <summary>0-RTT (long header, type 0x1).</summary>
    ZeroRtt = 1,
    /// <summary>Handshake (long header, type 0x2).</summary>
    Handshake = 2,
    /// <summary>Retry (long header, type 0x3).</summary>
    Retry = 3,
    /// <summary>Version Negotiation (long header, version 0).</summary>
    VersionNegotiation = 4,
    /// <summary>1-RTT (short header).</summary>
    OneRtt = 5,
    /// <summary>A long header packet of a version this stack does not speak; only its invariant fields were parsed.</summary>
    UnsupportedVersion = 6,
}
