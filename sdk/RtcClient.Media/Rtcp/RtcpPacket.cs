using System.Buffers.Binary;

namespace RtcClient.Media.Rtcp;

/// <summary>
/// A view over one RTCP packet of a compound packet, with typed accessors. Produced by
/// <see cref="RtcpCompoundReader"/>, which has checked the common header and length.
/// </summary>
public readonly ref struct RtcpPacket
{
    internal RtcpPacket(byte type, int countOrFormat, ReadOnlySpan<byte> body)
    {
        PacketType = type;
        CountOrFormat = countOrFormat;
        Body = body;
    }

    /// <summary>Packet type byte (see <see cref="RtcpPacketType"/>).</summary>
    public byte PacketType { get; }

    /// <summary>The 5-bit count (reports, sources) or feedback message type (FMT).</summary>
    public int CountOrFormat { get; }

    /// <summary>Everything after the 4-byte common header, padding removed.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>SSRC of the packet's sender (first word of SR, RR and feedback bodies); 0 if absent.</summary>
    public uint SenderSsrc => Body.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Body) : 0;

    /// <summary>Reads the sender info of an SR; false when this is not a well-formed SR.</summary>
    public bool TryGetSenderInfo(out RtcpSenderInfo info)
    {
        info = default;
        if (PacketType != (byte)RtcpPacketType.SenderReport || Body.Length < 24)
            return false;
        info = new RtcpSenderInfo(BinaryPrimitives.ReadUInt64BigEndian(Body[4..]), BinaryPrimitives.ReadUInt32BigEndian(Body[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(Body[16..]), BinaryPrimitives.ReadUInt32BigEndian(Body[20..]));
        return true;
    }

    /// <summary>Number of report blocks that are actually present in an SR or RR.</summary>
    public int ReportBlockCount
    {
        get
        {
            int start = ReportBlocksOffset;
            if (start < 0 || Body.Length < start)
                return 0;
            return Math.Min(CountOrFormat, (Body.Length - start) / RtcpReportBlock.Length);
        }
    }

    /// <summary>The <paramref name="index"/>th report block of an SR or RR.</summary>
    public RtcpReportBlock GetReportBlock(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ReportBlockCount);
        return RtcpReportBlock.Read(Body[(ReportBlocksOffset + index * RtcpReportBlock.Length)..]);
    }

    /// <summary>True for an RFC 4585 generic NACK.</summary>
    public bool IsGenericNack => PacketType == (byte)RtcpPacketType.TransportFeedback && CountOrFormat == 1 && Body.Length >= 8;

    /// <summary>True for an RFC 4585 picture loss indication.</summary>
    public bool IsPictureLossIndication => PacketType == (byte)RtcpPacketType.PayloadFeedback && CountOrFormat == 1 && Body.Length >= 8;

    /// <summary>SSRC of the media source a feedback message is about; 0 if absent.</summary>
    public uint MediaSsrc => Body.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(Body[4..]) : 0;

    /// <summary>
    /// Writes the sequence numbers a generic NACK asks for into <paramref name="destination"/>;
    /// returns how many were written (stops when full).
    /// </summary>
    public int GetNackedSequenceNumbers(Span<ushort> destination)
    {
        if (!IsGenericNack)
            return 0;
        int n = 0;
        for (int offset = 8; offset + 4 <= Body.Length; offset += 4)
        {
            ushort pid = BinaryPrimitives.ReadUInt16BigEndian(Body[offset..]);
            ushort blp = BinaryPrimitives.ReadUInt16BigEndian(Body[(offset + 2)..]);
            if (n == destination.Length)
                return n;
            destination[n++] = pid;
            for (int bit = 0; bit < 16; bit++)
            {
                if ((blp & (1 << bit)) == 0)
                    continue;
                if (n == destination.Length)
                    return n;
                destination[n++] = (ushort)(pid + bit + 1);
            }
        }
        return n;
    }

    /// <summary>Finds the CNAME item of the first chunk of an SDES packet; false when absent or malformed.</summary>
    public bool TryGetCname(out uint ssrc, out ReadOnlySpan<byte> cname)
    {
        ssrc = 0;
        cname = default;
        if (PacketType != (byte)RtcpPacketType.SourceDescription || CountOrFormat == 0 || Body.Length < 4)
            return false;
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(Body);
        int offset = 4;
        while (offset + 2 <= Body.Length && Body[offset] != 0)
        {
            int type = Body[offset];
            int length = Body[offset + 1];
            if (offset + 2 + length > Body.Length)
                return false;
            if (type == 1)
            {
                cname = Body.Slice(offset + 2, length);
                return true;
            }
            offset += 2 + length;
        }
        return false;
    }

    /// <summary>Number of SSRCs a BYE actually carries.</summary>
    public int GoodbyeSourceCount => PacketType == (byte)RtcpPacketType.Goodbye ? Math.Min(CountOrFormat, Body.Length / 4) : 0;

    /// <summary>The <paramref name="index"/>th SSRC of a BYE.</summary>
    public uint GetGoodbyeSource(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, GoodbyeSourceCount);
        return BinaryPrimitives.ReadUInt32BigEndian(Body[(index * 4)..]);
    }

    private int ReportBlocksOffset => PacketType switch
    {
        (byte)RtcpPacketType.SenderReport => 24,
        (byte)RtcpPacketType.ReceiverReport => 4,
        _ => -1,
    };
}
