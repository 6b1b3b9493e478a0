using System.Buffers.Binary;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Packets;

/// <summary>
/// Writes unprotected packet headers (RFC 9000 sections 17.2 and 17.3). Typical use for a long header:
/// <see cref="WriteLongHeader"/> with a reserved Length field, write frames after it, then
/// <see cref="WriteLength"/> with packet number + payload + tag length, then
/// PacketProtection.Protect over the whole packet.
/// </summary>
public static class PacketWriter
{
    /// <summary>Size of the Length field <see cref="WriteLongHeader"/> reserves by default: 2 bytes carry up to 16383.</summary>
    public const int DefaultLengthFieldSize = 2;

    /// <summary>Bytes a long header takes (through the packet number) with the given fields.</summary>
    public static int GetLongHeaderLength(PacketType type, int destinationConnectionIdLength, int sourceConnectionIdLength, int tokenLength, int packetNumberLength, int lengthFieldSize = DefaultLengthFieldSize)
    {
        int length = 1 + 4 + 1 + destinationConnectionIdLength + 1 + sourceConnectionIdLength + lengthFieldSize + packetNumberLength;
        if (type == PacketType.Initial) length += VariableLengthInteger.GetLength(tokenLength) + tokenLength;
        return length;
    }

    /// <summary>Bytes a short header takes (through the packet number).</summary>
    public static int GetShortHeaderLength(int destinationConnectionIdLength, int packetNumberLength) => 1 + destinationConnectionIdLength + packetNumberLength;

    /// <summary>
    /// Writes an Initial, 0-RTT or Handshake header through the truncated packet number, leaving the
    /// Length field (<paramref name="lengthFieldSize"/> bytes, at <paramref name="lengthFieldOffset"/>) to be
    /// filled by <see cref="WriteLength"/>. Returns the header length (where the payload starts), or 0 when
    /// <paramref name="destination"/> is too small.
    /// </summary>
    public static int WriteLongHeader(Span<byte> destination, PacketType type, uint version, ReadOnlySpan<byte> destinationConnectionId, ReadOnlySpan<byte> sourceConnectionId,
        ReadOnlySpan<byte> token, long packetNumber, int packetNumberLength, out int lengthFieldOffset, int lengthFieldSize = DefaultLengthFieldSize)
    {
        lengthFieldOffset = 0;
        if (type is not (PacketType.Initial or PacketType.ZeroRtt or PacketType.Handshake))
            throw new ArgumentOutOfRangeException(nameof(type), type, "only Initial, 0-RTT and Handshake carry a packet number");
        if (type != PacketType.Initial && !token.IsEmpty) throw new ArgumentException("only Initial packets carry a token", nameof(token));
        if (packetNumberLength is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(packetNumberLength));
        if (destinationConnectionId.Length > QuicVersion.MaxConnectionIdLength || sourceConnectionId.Length > QuicVersion.MaxConnectionIdLength)
            throw new ArgumentException("connection IDs are at most 20 bytes");
        if (lengthFieldSize is not (1 or 2 or 4 or 8)) throw new ArgumentOutOfRangeException(nameof(lengthFieldSize));

        int headerLength = GetLongHeaderLength(type, destinationConnectionId.Length, sourceConnectionId.Length, token.Length, packetNumberLength, lengthFieldSize);
        if (destination.Length < headerLength) return 0;

        int offset = 0;
        destination[offset++] = (byte)(0xC0 | ((int)type << 4) | (packetNumberLength - 1));
        offset += WriteVersionAndConnectionIds(destination[offset..], version, destinationConnectionId, sourceConnectionId);
        if (type == PacketType.Initial)
        {
            VariableLengthInteger.TryWrite(destination[offset..], token.Length, out int written);
            offset += written;
            token.CopyTo(destination[offset..]);
            offset += token.Length;
        }

        lengthFieldOffset = offset;
        VariableLengthInteger.TryWrite(destination[offset..], 0, lengthFieldSize, out _);
        offset += lengthFieldSize;
        PacketNumber.WriteTruncated(destination[offset..], packetNumber, packetNumberLength);
        return offset + packetNumberLength;
    }

    /// <summary>
    /// Fills the Length field reserved by <see cref="WriteLongHeader"/>: <paramref name="length"/> is the
    /// packet number length plus payload plus AEAD tag.
    /// </summary>
    public static void WriteLength(Span<byte> packet, int lengthFieldOffset, long length, int lengthFieldSize = DefaultLengthFieldSize)
        => VariableLengthInteger.TryWrite(packet[lengthFieldOffset..], length, lengthFieldSize, out _);

    /// <summary>
    /// Writes a 1-RTT short header through the truncated packet number. Returns the header length, or 0
    /// when <paramref name="destination"/> is too small.
    /// </summary>
    public static int WriteShortHeader(Span<byte> destination, ReadOnlySpan<byte> destinationConnectionId, long packetNumber, int packetNumberLength, bool spinBit, bool keyPhase)
    {
        if (packetNumberLength is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(packetNumberLength));
        if (destinationConnectionId.Length > QuicVersion.MaxConnectionIdLength) throw new ArgumentException("connection IDs are at most 20 bytes", nameof(destinationConnectionId));
        int headerLength = GetShortHeaderLength(destinationConnectionId.Length, packetNumberLength);
        if (destination.Length < headerLength) return 0;
        destination[0] = (byte)(0x40 | (spinBit ? 0x20 : 0) | (keyPhase ? 0x04 : 0) | (packetNumberLength - 1));
        destinationConnectionId.CopyTo(destination[1..]);
        PacketNumber.WriteTruncated(destination[(1 + destinationConnectionId.Length)..], packetNumber, packetNumberLength);
        return headerLength;
    }

    /// <summary>Writes version, DCID length and value, SCID length and value; returns the bytes written.</summary>
    internal static int WriteVersionAndConnectionIds(Span<byte> destination, uint version, ReadOnlySpan<byte> destinationConnectionId, ReadOnlySpan<byte> sourceConnectionId)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, version);
        int offset = 4;
        destination[offset++] = (byte)destinationConnectionId.Length;
        destinationConnectionId.CopyTo(destination[offset..]);
        offset += destinationConnectionId.Length;
        destination[offset++] = (byte)sourceConnectionId.Length;
        sourceConnectionId.CopyTo(destination[offset..]);
        return offset + sourceConnectionId.Length;
    }
}
