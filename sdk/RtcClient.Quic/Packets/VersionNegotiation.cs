using System.Buffers.Binary;

namespace RtcClient.Quic.Packets;

/// <summary>What a client does with a received Version Negotiation packet (RFC 9000 section 6.2).</summary>
public enum VersionNegotiationAction
{
    /// <summary>Discard the packet and carry on with the connection attempt.</summary>
    Ignore,
    /// <summary>No common version: abandon the connection attempt.</summary>
    Abandon,
}

/// <summary>
/// Version Negotiation packets (RFC 9000 sections 6 and 17.2.1): building them as a server, the rule for
/// when to send one, and the client's handling rules. Parse them with <see cref="PacketHeader.TryParse"/>
/// (<see cref="PacketType.VersionNegotiation"/>, versions in <see cref="PacketHeader.SupportedVersions"/>).
/// </summary>
public static class VersionNegotiation
{
    /// <summary>
    /// True when a server should answer the datagram starting with <paramref name="header"/> with Version
    /// Negotiation: a long header of a version it does not speak in a datagram of at least 1200 bytes
    /// (smaller ones are dropped to limit amplification, RFC 9000 sections 5.2.2 and 6.1), and never in
    /// response to a Version Negotiation packet.
    /// </summary>
    public static bool ShouldSend(in PacketHeader header, int datagramLength)
        => header.Type == PacketType.UnsupportedVersion && datagramLength >= QuicVersion.MinInitialDatagramSize;

    /// <summary>Bytes a Version Negotiation packet takes.</summary>
    public static int GetLength(int destinationConnectionIdLength, int sourceConnectionIdLength, int versionCount)
        => 1 + 4 + 1 + destinationConnectionIdLength + 1 + sourceConnectionIdLength + 4 * versionCount;

    /// <summary>
    /// Writes a Version Negotiation packet answering a client packet: <paramref name="destinationConnectionId"/>
    /// is the client's Source Connection ID and <paramref name="sourceConnectionId"/> the client's
    /// Destination Connection ID (RFC 9000 section 17.2.1). <paramref name="unusedBits"/> fills the seven
    /// unused bits of the first byte (use random bits). Returns the length, or 0 when it does not fit.
    /// </summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> destinationConnectionId, ReadOnlySpan<byte> sourceConnectionId, ReadOnlySpan<uint> supportedVersions, byte unusedBits)
    {
        if (destinationConnectionId.Length > 255 || sourceConnectionId.Length > 255) throw new ArgumentException("connection IDs are at most 255 bytes");
        if (supportedVersions.IsEmpty) throw new ArgumentException("at least one version must be listed", nameof(supportedVersions));
        int length = GetLength(destinationConnectionId.Length, sourceConnectionId.Length, supportedVersions.Length);
        if (destination.Length < length) return 0;
        destination[0] = (byte)(0x80 | (unusedBits & 0x7F));
        int offset = 1 + PacketWriter.WriteVersionAndConnectionIds(destination[1..], QuicVersion.Negotiation, destinationConnectionId, sourceConnectionId);
        foreach (uint version in supportedVersions)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], version);
            offset += 4;
        }

        return offset;
    }

    /// <summary>True when the Supported Versions list contains <paramref name="version"/>.</summary>
    public static bool Contains(ReadOnlySpan<byte> supportedVersions, uint version)
    {
        for (int i = 0; i + 4 <= supportedVersions.Length; i += 4)
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(supportedVersions[i..]) == version) return true;
        }

        return false;
    }

    /// <summary>
    /// A client's decision on a Version Negotiation packet (RFC 9000 section 6.2): it is ignored when the
    /// client already processed another packet of this connection, when the connection IDs do not echo
    /// the ones the client sent, or when it lists the version the client chose (a forged or stale one);
    /// otherwise the client abandons the attempt unless a version both speak is listed. This stack speaks
    /// only QUIC v1, so a valid packet means abandoning.
    /// </summary>
    public static VersionNegotiationAction Evaluate(in PacketHeader packet, ReadOnlySpan<byte> sentDestinationConnectionId, ReadOnlySpan<byte> sentSourceConnectionId,
        uint chosenVersion, bool processedOtherPacket)
    {
        if (packet.Type != PacketType.VersionNegotiation || processedOtherPacket) return VersionNegotiationAction.Ignore;
        if (!packet.DestinationConnectionId.SequenceEqual(sentSourceConnectionId) || !packet.SourceConnectionId.SequenceEqual(sentDestinationConnectionId))
            return VersionNegotiationAction.Ignore;
        if (Contains(packet.SupportedVersions, chosenVersion)) return VersionNegotiationAction.Ignore;
        return VersionNegotiationAction.Abandon;
    }
}
