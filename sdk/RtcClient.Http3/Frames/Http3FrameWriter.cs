using System.Buffers;
using RtcClient.Quic.Wire;

namespace RtcClient.Http3.Frames;

/// <summary>Writes HTTP/3 frames (RFC 9114 section 7): Type (i), Length (i), payload.</summary>
internal static class Http3FrameWriter
{
    /// <summary>Writes one QUIC varint.</summary>
    public static void WriteVarInt(IBufferWriter<byte> output, long value)
    {
        Span<byte> dest = output.GetSpan(8);
        VariableLengthInteger.TryWrite(dest, value, out int n);
        output.Advance(n);
    }

    /// <summary>Writes a frame header.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, long type, long length)
    {
        WriteVarInt(output, type);
        WriteVarInt(output, length);
    }

    /// <summary>Writes a frame header into a span; returns its length.</summary>
    public static int WriteHeader(Span<byte> destination, long type, long length)
    {
        VariableLengthInteger.TryWrite(destination, type, out int a);
        VariableLengthInteger.TryWrite(destination[a..], length, out int b);
        return a + b;
    }

    /// <summary>Writes a frame with an opaque payload (DATA, HEADERS, unknown/GREASE types).</summary>
    public static void WriteFrame(IBufferWriter<byte> output, long type, ReadOnlySpan<byte> payload)
    {
        WriteHeader(output, type, payload.Length);
        output.Write(payload);
    }

    /// <summary>Writes a frame whose payload is one varint (GOAWAY, CANCEL_PUSH, MAX_PUSH_ID).</summary>
    public static void WriteVarIntFrame(IBufferWriter<byte> output, long type, long value)
    {
        WriteHeader(output, type, VariableLengthInteger.GetLength(value));
        WriteVarInt(output, value);
    }

    /// <summary>Writes PUSH_PROMISE: Push ID then an encoded field section.</summary>
    public static void WritePushPromise(IBufferWriter<byte> output, long pushId, ReadOnlySpan<byte> fieldSection)
    {
        WriteHeader(output, Http3FrameType.PushPromise, VariableLengthInteger.GetLength(pushId) + fieldSection.Length);
        WriteVarInt(output, pushId);
        output.Write(fieldSection);
    }
}
