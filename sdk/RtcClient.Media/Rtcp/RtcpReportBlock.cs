using System.Buffers.Binary;

namespace RtcClient.Media.Rtcp;

/// <summary>A reception report block (RFC 3550 section 6.4.1).</summary>
/// <param name="Ssrc">Source this block reports on.</param>
/// <param name="FractionLost">Loss since the previous report, as a fraction of 256.</param>
/// <param name="CumulativeLost">Total packets lost (24-bit signed on the wire).</param>
/// <param name="ExtendedHighestSequence">Extended highest sequence number received.</param>
/// <param name="Jitter">Interarrival jitter in timestamp units.</param>
/// <param name="LastSenderReport">Middle 32 bits of the NTP timestamp of the last SR received (LSR), 0 if none.</param>
/// <param name="DelaySinceLastSenderReport">Delay since that SR in 1/65536 s (DLSR).</param>
public readonly record struct RtcpReportBlock(uint Ssrc, byte FractionLost, int CumulativeLost, uint ExtendedHighestSequence,
    uint Jitter, uint LastSenderReport, uint DelaySinceLastSenderReport)
{
    /// <summary>Size on the wire.</summary>
    public const int Length = 24;

    /// <summary>Writes the block; <paramref name="destination"/> must hold <see cref="Length"/> bytes.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        int lost = Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)FractionLost << 24) | ((uint)lost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
    }

    /// <summary>Reads a block from <see cref="Length"/> bytes.</summary>
    public static RtcpReportBlock Read(ReadOnlySpan<byte> source)
    {
        uint word = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);
        int lost = (int)(word << 8) >> 8; // sign-extend 24 bits
        return new RtcpReportBlock(BinaryPrimitives.ReadUInt32BigEndian(source), (byte)(word >> 24), lost,
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]), BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]), BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
    }
}
