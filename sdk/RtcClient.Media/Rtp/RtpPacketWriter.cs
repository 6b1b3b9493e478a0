using System.Buffers.Binary;

namespace RtcClient.Media.Rtp;

/// <summary>Writes RTP packets (RFC 3550 section 5.1) into caller buffers without allocating.</summary>
public static class RtpPacketWriter
{
    /// <summary>
    /// Writes the fixed header and CSRC list; returns bytes written, or 0 when it does not fit.
    /// Set <paramref name="hasExtension"/> when a header extension follows (write it with <see cref="RtpHeaderExtensionWriter"/>).
    /// </summary>
    public static int WriteHeader(Span<byte> destination, in RtpHeader header, bool hasExtension = false, ReadOnlySpan<uint> csrcs = default)
    {
        if (header.PayloadType > 127)
            throw new ArgumentOutOfRangeException(nameof(header), "payload type is 7 bits");
        if (csrcs.Length > 15)
            throw new ArgumentOutOfRangeException(nameof(csrcs), "at most 15 CSRCs");
        int length = RtpPacket.FixedHeaderLength + csrcs.Length * 4;
        if (destination.Length < length)
            return 0;
        destination[0] = (byte)(0x80 | (hasExtension ? 0x10 : 0) | csrcs.Length);
        destination[1] = (byte)((header.Marker ? 0x80 : 0) | header.PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], header.SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], header.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], header.Ssrc);
        for (int i = 0; i < csrcs.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(destination[(12 + i * 4)..], csrcs[i]);
        return length;
    }

    /// <summary>
    /// Writes a whole packet: header, optional RFC 6464 audio level (one-byte form, id
    /// <paramref name="audioLevelId"/>), payload. Returns bytes written, or 0 when it does not fit.
    /// </summary>
    public static int Write(Span<byte> destination, in RtpHeader header, ReadOnlySpan<byte> payload, AudioLevel? audioLevel = null, int audioLevelId = AudioLevel.DefaultExtensionId)
    {
        int n = WriteHeader(destination, header, audioLevel.HasValue);
        if (n == 0)
            return 0;
        if (audioLevel is { } level)
        {
            if (destination.Length - n < 8)
                return 0;
            var ext = new RtpHeaderExtensionWriter(destination[n..], RtpHeaderExtensionForm.OneByte);
            Span<byte> value = [level.ToByte()];
            if (!ext.TryAdd(audioLevelId, value))
                return 0;
            n += ext.Complete();
        }
        if (destination.Length - n < payload.Length)
            return 0;
        payload.CopyTo(destination[n..]);
        return n + payload.Length;
    }
}
