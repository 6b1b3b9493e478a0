using System.Buffers.Binary;

namespace RtcClient.Media.Rtp;

/// <summary>
/// A parsed view over an RTP packet (RFC 3550 section 5.1). No copies: every span points into the
/// buffer given to <see cref="TryParse"/>.
/// </summary>
public readonly ref struct RtpPacket
{
    /// <summary>Size of the fixed header.</summary>
    public const int FixedHeaderLength = 12;

    private readonly ReadOnlySpan<byte> _csrcs;

    private RtpPacket(ReadOnlySpan<byte> data, int csrcCount, bool hasExtension, ushort profile,
        ReadOnlySpan<byte> extension, ReadOnlySpan<byte> payload, int padding)
    {
        Marker = (data[1] & 0x80) != 0;
        PayloadType = (byte)(data[1] & 0x7F);
        SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        Timestamp = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        CsrcCount = csrcCount;
        _csrcs = data.Slice(FixedHeaderLength, csrcCount * 4);
        HasExtension = hasExtension;
        ExtensionProfile = profile;
        ExtensionData = extension;
        Payload = payload;
        PaddingLength = padding;
    }

    /// <summary>Marker bit (first packet of a talkspurt for audio, last packet of a frame for video).</summary>
    public bool Marker { get; }

    /// <summary>Payload type (7 bits).</summary>
    public byte PayloadType { get; }

    /// <summary>Sequence number.</summary>
    public ushort SequenceNumber { get; }

    /// <summary>Timestamp in the payload's clock rate.</summary>
    public uint Timestamp { get; }

    /// <summary>Synchronization source.</summary>
    public uint Ssrc { get; }

    /// <summary>Number of contributing sources.</summary>
    public int CsrcCount { get; }

    /// <summary>True when the X bit is set.</summary>
    public bool HasExtension { get; }

    /// <summary>The 16-bit "defined by profile" field of the header extension (0xBEDE for RFC 8285 one-byte form).</summary>
    public ushort ExtensionProfile { get; }

    /// <summary>Header extension body (without the 4-byte extension header).</summary>
    public ReadOnlySpan<byte> ExtensionData { get; }

    /// <summary>Payload without padding.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Padding bytes removed from the end.</summary>
    public int PaddingLength { get; }

    /// <summary>The <paramref name="index"/>th contributing source.</summary>
    public uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_csrcs[(index * 4)..]);
    }

    /// <summary>Elements of an RFC 8285 header extension (empty when there is none or the profile is unknown).</summary>
    public RtpHeaderExtensionReader Extensions => new(ExtensionProfile, HasExtension ? ExtensionData : default);

    /// <summary>Finds the RFC 8285 element with <paramref name="id"/>; false when absent or malformed.</summary>
    public bool TryGetExtension(int id, out ReadOnlySpan<byte> value)
    {
        var reader = Extensions;
        while (reader.TryReadNext(out int elementId, out var data))
        {
            if (elementId == id)
            {
                value = data;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Parses and validates <paramref name="data"/>; never throws on malformed input.</summary>
    public static RtpParseStatus TryParse(ReadOnlySpan<byte> data, out RtpPacket packet)
    {
        packet = default;
        if (data.Length < FixedHeaderLength)
            return RtpParseStatus.Truncated;
        if (data[0] >> 6 != 2)
            return RtpParseStatus.BadVersion;
        bool padding = (data[0] & 0x20) != 0;
        bool extension = (data[0] & 0x10) != 0;
        int csrcCount = data[0] & 0x0F;
        int offset = FixedHeaderLength + csrcCount * 4;
        if (offset > data.Length)
            return RtpParseStatus.CsrcPastEnd;
        ushort profile = 0;
        ReadOnlySpan<byte> extensionData = default;
        if (extension)
        {
            if (offset + 4 > data.Length)
                return RtpParseStatus.ExtensionPastEnd;
            profile = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            int words = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            offset += 4;
            if (offset + words * 4 > data.Length)
                return RtpParseStatus.ExtensionPastEnd;
            extensionData = data.Slice(offset, words * 4);
            offset += words * 4;
        }
        int end = data.Length;
        int paddingLength = 0;
        if (padding)
        {
            paddingLength = data[^1];
            if (paddingLength == 0 || offset + paddingLength > end)
                return RtpParseStatus.BadPadding;
            end -= paddingLength;
        }
        packet = new RtpPacket(data, csrcCount, extension, profile, extensionData, data[offset..end], paddingLength);
        return RtpParseStatus.Ok;
    }
}
