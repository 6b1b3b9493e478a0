using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using RtcClient.Quic.Wire;

namespace RtcClient.Http3.Capsules;

/// <summary>The Capsule Protocol (RFC 9297 section 3.2): Type (i), Length (i), Value; carried in DATA frames.</summary>
internal static class CapsuleCodec
{
    /// <summary>Largest WT_CLOSE_SESSION message (bytes).</summary>
    public const int MaxCloseMessageLength = 1024;

    /// <summary>
    /// Reads a capsule header; false when more bytes are needed. A length above <paramref name="maxLength"/> is
    /// H3_MESSAGE_ERROR, so a hostile length cannot make us buffer without bound.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> source, long maxLength, out long type, out long length, out int headerLength)
    {
        length = 0;
        headerLength = 0;
        if (!VariableLengthInteger.TryRead(source, out type, out int a) ||
            !VariableLengthInteger.TryRead(source[a..], out length, out int b))
            return false;
        if (length > maxLength)
            throw new Http3ProtocolException(Http3ErrorCode.MessageError, $"capsule of {length} bytes exceeds the limit", isStreamError: true);
        headerLength = a + b;
        return true;
    }

    /// <summary>Writes one capsule.</summary>
    public static void Write(IBufferWriter<byte> output, long type, ReadOnlySpan<byte> value)
    {
        Frames.Http3FrameWriter.WriteHeader(output, type, value.Length);
        output.Write(value);
    }

    /// <summary>Writes WT_CLOSE_SESSION (message truncated to 1024 bytes at a character boundary).</summary>
    public static void WriteCloseSession(IBufferWriter<byte> output, uint errorCode, string message)
    {
        byte[] text = Encoding.UTF8.GetBytes(message);
        int len = text.Length;
        while (len > MaxCloseMessageLength || (len < text.Length && len > 0 && (text[len] & 0xC0) == 0x80))
            len--;
        Span<byte> value = new byte[4 + len];
        BinaryPrimitives.WriteUInt32BigEndian(value, errorCode);
        text.AsSpan(0, len).CopyTo(value[4..]);
        Write(output, CapsuleType.WebTransportCloseSession, value);
    }

    /// <summary>Parses a WT_CLOSE_SESSION value; a short value or an over-long message is H3_MESSAGE_ERROR.</summary>
    public static (uint ErrorCode, string Message) ReadCloseSession(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4 || value.Length - 4 > MaxCloseMessageLength)
            throw new Http3ProtocolException(Http3ErrorCode.MessageError, "malformed WT_CLOSE_SESSION capsule", isStreamError: true);
        return (BinaryPrimitives.ReadUInt32BigEndian(value), Encoding.UTF8.GetString(value[4..]));
    }
}
