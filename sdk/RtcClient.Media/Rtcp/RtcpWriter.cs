using System.Buffers.Binary;
using System.Text;

namespace RtcClient.Media.Rtcp;

/// <summary>
/// Writes RTCP packets into caller buffers. Each method returns bytes written, or 0 when the packet
/// does not fit; concatenate several calls to build a compound packet (SR/RR first).
/// </summary>
public static class RtcpWriter
{
    /// <summary>Writes an SR with up to 31 report blocks.</summary>
    public static int WriteSenderReport(Span<byte> destination, uint ssrc, in RtcpSenderInfo info, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks.Length, 31);
        int length = 28 + blocks.Length * RtcpReportBlock.Length;
        if (destination.Length < length)
            return 0;
        WriteHeader(destination, blocks.Length, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], info.NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], info.RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], info.PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], info.OctetCount);
        for (int i = 0; i < blocks.Length; i++)
            blocks[i].Write(destination[(28 + i * RtcpReportBlock.Length)..]);
        return length;
    }

    /// <summary>Writes an RR with up to 31 report blocks.</summary>
    public static int WriteReceiverReport(Span<byte> destination, uint ssrc, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks.Length, 31);
        int length = 8 + blocks.Length * RtcpReportBlock.Length;
        if (destination.Length < length)
            return 0;
        WriteHeader(destination, blocks.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        for (int i = 0; i < blocks.Length; i++)
            blocks[i].Write(destination[(8 + i * RtcpReportBlock.Length)..]);
        return length;
    }

    /// <summary>Writes an SDES packet with one chunk carrying only a CNAME (at most 255 UTF-8 bytes).</summary>
    public static int WriteSourceDescription(Span<byte> destination, uint ssrc, string cname)
    {
        ArgumentNullException.ThrowIfNull(cname);
        int cnameLength = Encoding.UTF8.GetByteCount(cname);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cnameLength, 255, nameof(cname));
        // header + ssrc + item header + text + at least one terminating zero, padded to 32 bits.
        int length = (4 + 4 + 2 + cnameLength + 1 + 3) & ~3;
        if (destination.Length < length)
            return 0;
        WriteHeader(destination, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        destination[8] = 1; // CNAME
        destination[9] = (byte)cnameLength;
        Encoding.UTF8.GetBytes(cname, destination[10..]);
        destination[(10 + cnameLength)..length].Clear();
        return length;
    }

    /// <summary>Writes a BYE for one source, without a reason.</summary>
    public static int WriteGoodbye(Span<byte> destination, uint ssrc)
    {
        if (destination.Length < 8)
            return 0;
        WriteHeader(destination, 1, RtcpPacketType.Goodbye, 8);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        return 8;
    }

    /// <summary>Writes a picture loss indication (RFC 4585 section 6.3.1).</summary>
    public static int WritePictureLossIndication(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        if (destination.Length < 12)
            return 0;
        WriteHeader(destination, 1, RtcpPacketType.PayloadFeedback, 12);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        return 12;
    }

    /// <summary>
    /// Writes a generic NACK (RFC 4585 section 6.2.1) for <paramref name="lost"/> sequence numbers,
    /// packed into PID/BLP pairs. Each PID covers itself and the 16 numbers after it.
    /// </summary>
    public static int WriteGenericNack(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> lost)
    {
        if (lost.IsEmpty)
            return 0;
        // Count FCI entries first so the length is known.
        int entries = 0;
        for (int i = 0; i < lost.Length;)
        {
            ushort pid = lost[i++];
            while (i < lost.Length && (ushort)(lost[i] - pid) is >= 1 and <= 16)
                i++;
            entries++;
        }
        int length = 12 + entries * 4;
        if (destination.Length < length)
            return 0;
        WriteHeader(destination, 1, RtcpPacketType.TransportFeedback, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        int offset = 12;
        for (int i = 0; i < lost.Length;)
        {
            ushort pid = lost[i++];
            ushort blp = 0;
            while (i < lost.Length && (ushort)(lost[i] - pid) is >= 1 and <= 16)
                blp |= (ushort)(1 << ((ushort)(lost[i++] - pid) - 1));
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], pid);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], blp);
            offset += 4;
        }
        return length;
    }

    private static void WriteHeader(Span<byte> destination, int countOrFormat, RtcpPacketType type, int length)
    {
        destination[0] = (byte)(0x80 | countOrFormat);
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(length / 4 - 1));
    }
}
