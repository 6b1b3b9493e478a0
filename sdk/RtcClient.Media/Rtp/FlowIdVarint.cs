using System.Buffers.Binary;

namespace RtcClient.Media.Rtp;

/// <summary>
/// QUIC variable-length integers (RFC 9000 section 16) as used for the flow id in front of each RTP
/// or RTCP packet (draft-ietf-avtcore-rtp-over-quic). Kept local so Media does not depend on the
/// QUIC assembly.
/// </summary>
public static class FlowIdVarint
{
    /// <summary>Largest value a varint can carry (2^62 - 1).</summary>
    public const ulong MaxValue = (1UL << 62) - 1;

    /// <summary>Bytes needed to encode <paramref name="value"/> (1, 2, 4 or 8).</summary>
    public static int GetLength(ulong value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxValue);
        return value < 64 ? 1 : value < 16384 ? 2 : value < 1073741824 ? 4 : 8;
    }

    /// <summary>Writes <paramref name="value"/> in its shortest form; returns bytes written, or 0 when it does not fit.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        int length = GetLength(value);
        if (destination.Length < length)
            return 0;
        switch (length)
        {
            case 1:
                destination[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value | 0x4000));
                break;
            case 4:
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value | 0x8000_0000u);
                break;
            default:
                BinaryPrimitives.WriteUInt64BigEndian(destination, value | 0xC000_0000_0000_0000UL);
                break;
        }
        return length;
    }

    /// <summary>Reads a varint; returns bytes consumed, or 0 when <paramref name="source"/> is too short.</summary>
    public static int Read(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        if (source.IsEmpty)
            return 0;
        int length = 1 << (source[0] >> 6);
        if (source.Length < length)
            return 0;
        switch (length)
        {
            case 1:
                value = source[0];
                break;
            case 2:
                value = BinaryPrimitives.ReadUInt16BigEndian(source) & 0x3FFFu;
                break;
            case 4:
                value = BinaryPrimitives.ReadUInt32BigEndian(source) & 0x3FFF_FFFFu;
                break;
            default:
                value = BinaryPrimitives.ReadUInt64BigEndian(source) & MaxValue;
                break;
        }
        return length;
    }
}
