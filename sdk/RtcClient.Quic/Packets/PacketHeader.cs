using System.Buffers.Binary;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Packets;

/// <summary>
/// The parsed, still header-protected header of one QUIC packet (RFC 9000 section 17), as spans into the
/// datagram. Parsing never throws: malformed or truncated input makes <see cref="TryParse"/> return false
/// and the packet is dropped (RFC 9000 section 12.2 lets receivers discard undecodable packets).
/// After <see cref="PacketProtection.TryRemoveHeaderProtection"/> at <see cref="PacketNumberOffset"/>,
/// read the packet number with <see cref="PacketNumber.ReadTruncated"/>, decrypt, then call
/// <see cref="ValidateReservedBits"/>.
/// </summary>
public readonly ref struct PacketHeader
{
    /// <summary>The whole packet (header, packet number, protected payload and tag; for Retry, up to and including the tag).</summary>
    public ReadOnlySpan<byte> Packet { get; private init; }

    /// <summary>Packet type. Long header packets of unknown versions are <see cref="PacketType.UnsupportedVersion"/>.</summary>
    public PacketType Type { get; private init; }

    /// <summary>First byte as received (its low bits are still header-protected).</summary>
    public byte FirstByte { get; private init; }

    /// <summary>True for long header packets.</summary>
    public bool IsLongHeader => (FirstByte & 0x80) != 0;

    /// <summary>Version field of a long header (0 for short headers).</summary>
    public uint Version { get; private init; }

    /// <summary>Destination Connection ID.</summary>
    public ReadOnlySpan<byte> DestinationConnectionId { get; private init; }

    /// <summary>Source Connection ID (long headers only).</summary>
    public ReadOnlySpan<byte> SourceConnectionId { get; private init; }

    /// <summary>Token of an Initial packet, or the Retry Token of a Retry packet.</summary>
    public ReadOnlySpan<byte> Token { get; private init; }

    /// <summary>Supported Versions list of a Version Negotiation packet (a multiple of 4 bytes).</summary>
    public ReadOnlySpan<byte> SupportedVersions { get; private init; }

    /// <summary>Offset of the (protected) packet number within <see cref="Packet"/>; 0 for Retry and Version Negotiation.</summary>
    public int PacketNumberOffset { get; private init; }

    /// <summary>Spin bit of a short header packet (not header-protected, RFC 9000 section 17.4).</summary>
    public bool SpinBit => !IsLongHeader && (FirstByte & 0x20) != 0;

    /// <summary>
    /// True when the packet carries packet number and encrypted payload (Initial, 0-RTT, Handshake, 1-RTT).
    /// </summary>
    public bool IsProtected => Type is PacketType.Initial or PacketType.ZeroRtt or PacketType.Handshake or PacketType.OneRtt;

    /// <summary>
    /// Parses the packet at the start of <paramref name="datagram"/>. Short header packets use
    /// <paramref name="shortHeaderConnectionIdLength"/> (the length of the connection IDs this endpoint
    /// issues) and run to the end of the datagram; long header packets with a Length field end there.
    /// Returns false for anything malformed: truncated fields, a Length past the end, a connection ID
    /// longer than 20 bytes in v1, or a cleared fixed bit (RFC 9000 section 17.2).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, int shortHeaderConnectionIdLength, out PacketHeader header)
    {
        header = default;
        if (datagram.IsEmpty) return false;
        byte first = datagram[0];
        return (first & 0x80) != 0
            ? TryParseLong(datagram, first, out header)
            : TryParseShort(datagram, first, shortHeaderConnectionIdLength, out header);
    }

    /// <summary>
    /// Checks the reserved bits of the first byte once header protection is removed and the packet
    /// authenticated: non-zero is a PROTOCOL_VIOLATION (RFC 9000 sections 17.2 and 17.3.1).
    /// </summary>
    /// <exception cref="QuicProtocolException">The reserved bits are not zero.</exception>
    public static void ValidateReservedBits(byte unprotectedFirstByte)
    {
        int reserved = (unprotectedFirstByte & 0x80) != 0 ? 0x0C : 0x18;
        if ((unprotectedFirstByte & reserved) != 0)
            throw new QuicProtocolException(TransportErrorCode.ProtocolViolation, "reserved header bits are not zero");
    }

    /// <summary>Key Phase bit of a short header whose header protection was removed.</summary>
    public static bool GetKeyPhase(byte unprotectedFirstByte) => (unprotectedFirstByte & 0x04) != 0;

    private static bool TryParseShort(ReadOnlySpan<byte> datagram, byte first, int connectionIdLength, out PacketHeader header)
    {
        header = default;
        if ((first & 0x40) == 0) return false;
        if (connectionIdLength is < 0 or > QuicVersion.MaxConnectionIdLength) return false;
        int packetNumberOffset = 1 + connectionIdLength;
        if (datagram.Length <= packetNumberOffset) return false;
        header = new PacketHeader
        {
            Packet = datagram,
            Type = PacketType.OneRtt,
            FirstByte = first,
            DestinationConnectionId = datagram.Slice(1, connectionIdLength),
            PacketNumberOffset = packetNumberOffset,
        };
        return true;
    }

    private static bool TryParseLong(ReadOnlySpan<byte> datagram, byte first, out PacketHeader header)
    {
        header = default;
        // Invariant fields (RFC 8999 section 5.1): version, then two length-prefixed connection IDs.
        if (datagram.Length < 7) return false;
        uint version = BinaryPrimitives.ReadUInt32BigEndian(datagram[1..]);
        int offset = 5;
        int dcidLength = datagram[offset++];
        if (datagram.Length - offset < dcidLength + 1) return false;
        ReadOnlySpan<byte> dcid = datagram.Slice(offset, dcidLength);
        offset += dcidLength;
        int scidLength = datagram[offset++];
        if (datagram.Length - offset < scidLength) return false;
        ReadOnlySpan<byte> scid = datagram.Slice(offset, scidLength);
        offset += scidLength;

        if (version == QuicVersion.Negotiation)
        {
            ReadOnlySpan<byte> versions = datagram[offset..];
            if (versions.IsEmpty || versions.Length % 4 != 0) return false;
            header = new PacketHeader
            {
                Packet = datagram, Type = PacketType.VersionNegotiation, FirstByte = first,
                DestinationConnectionId = dcid, SourceConnectionId = scid, SupportedVersions = versions,
            };
            return true;
        }

        if (!QuicVersion.IsSupported(version))
        {
            header = new PacketHeader
            {
                Packet = datagram, Type = PacketType.UnsupportedVersion, FirstByte = first, Version = version,
                DestinationConnectionId = dcid, SourceConnectionId = scid,
            };
            return true;
        }

        if ((first & 0x40) == 0) return false;
        if (dcidLength > QuicVersion.MaxConnectionIdLength || scidLength > QuicVersion.MaxConnectionIdLength) return false;

        var type = (PacketType)((first >> 4) & 0x03);
        ReadOnlySpan<byte> token = default;
        if (type == PacketType.Retry)
        {
            ReadOnlySpan<byte> rest = datagram[offset..];
            if (rest.Length < RetryIntegrity.TagLength) return false;
            header = new PacketHeader
            {
                Packet = datagram, Type = type, FirstByte = first, Version = version,
                DestinationConnectionId = dcid, SourceConnectionId = scid, Token = rest[..^RetryIntegrity.TagLength],
            };
            return true;
        }

        if (type == PacketType.Initial)
        {
            if (!VariableLengthInteger.TryRead(datagram[offset..], out long tokenLength, out int read)) return false;
            offset += read;
            if (tokenLength > datagram.Length - offset) return false;
            token = datagram.Slice(offset, (int)tokenLength);
            offset += (int)tokenLength;
        }

        if (!VariableLengthInteger.TryRead(datagram[offset..], out long length, out int lengthBytes)) return false;
        offset += lengthBytes;
        if (length > datagram.Length - offset) return false;

        header = new PacketHeader
        {
            Packet = datagram[..(offset + (int)length)], Type = type, FirstByte = first, Version = version,
            DestinationConnectionId = dcid, SourceConnectionId = scid, Token = token, PacketNumberOffset = offset,
        };
        return true;
    }
}
