using System.Buffers.Binary;

namespace RtcClient.Quic.Wire;

/// <summary>
/// QUIC variable-length integers (RFC 9000 section 16): the two high bits of the first byte give the
/// length (1, 2, 4 or 8 bytes), the rest is the value in network byte order. Values up to 2^62-1.
/// </summary>
public static class VariableLengthInteger
{
    /// <summary>The largest value a varint can carry, 2^62 - 1.</summary>
    public const long MaxValue = (1L << 62) - 1;

    /// <summary>Bytes needed to encode <paramref name="value"/> in the shortest form.</summary>
    public static int GetLength(long value) => value switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(value), value, "varints are non-negative"),
        <= 63 => 1,
        <= 16383 => 2,
        <= 1073741823 => 4,
        <= MaxValue => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "varints carry at most 2^62-1"),
    };

    /// <summary>Length of the varint that starts with <paramref name="firstByte"/>.</summary>
    public static int GetEncodedLength(byte firstByte) => 1 << (firstByte >> 6);

    /// <summary>Reads a varint; returns false (consuming nothing) when <paramref name="source"/> is too short.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out long value, out int bytesRead)
    {
        if (source.IsEmpty)
        {
            value = 0;
            bytesRead = 0;
            return false;
        }

        int length = GetEncodedLength(source[0]);
        if (source.Length < length)
        {
            value = 0;
            bytesRead = 0;
            return false;
        }

        value = length switch
        {
            1 => source[0] & 0x3F,
            2 => BinaryPrimitives.ReadUInt16BigEndian(source) & 0x3FFF,
            4 => BinaryPrimitives.ReadUInt32BigEndian(source) & 0x3FFF_FFFF,
            _ => (long)(BinaryPrimitives.ReadUInt64BigEndian(source) & 0x3FFF_FFFF_FFFF_FFFFUL),
        };
        bytesRead = length;
        return true;
    }

    /// <summary>Writes <paramref name="value"/> in the shortest form; returns false when <paramref name="destination"/> is too short.</summary>
    public static bool TryWrite(Span<byte> destination, long value, out int bytesWritten)
        => TryWrite(destination, value, GetLength(value), out bytesWritten);

    /// <summary>
    /// Writes <paramref name="value"/> using exactly <paramref name="length"/> bytes (1, 2, 4 or 8), e.g. to
    /// fill in a length field reserved before its value was known.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, long value, int length, out int bytesWritten)
    {
        if (value < 0 || GetLength(value) > length)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit a {length}-byte varint");
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        switch (length)
        {
            case 1:
                destination[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(0x4000 | value));
                break;
            case 4:
                BinaryPrimitives.WriteUInt32BigEndian(destination, 0x8000_0000U | (uint)value);
                break;
            case 8:
                BinaryPrimitives.WriteUInt64BigEndian(destination, 0xC000_0000_0000_0000UL | (ulong)value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(length), length, "varint length is 1, 2, 4 or 8");
        }

        bytesWritten = length;
        return true;
    }
}
