using RtcClient.Quic.Wire;

namespace RtcClient.Http3.Frames;

/// <summary>Parses HTTP/3 frames from bytes (RFC 9114 section 7).</summary>
internal static class Http3FrameReader
{
    /// <summary>Reads a frame header; false when more bytes are needed.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> source, out long type, out long length, out int headerLength)
    {
        length = 0;
        headerLength = 0;
        if (!VariableLengthInteger.TryRead(source, out type, out int a) ||
            !VariableLengthInteger.TryRead(source[a..], out length, out int b))
            return false;
        headerLength = a + b;
        return true;
    }

    /// <summary>
    /// Reads a payload that is exactly one varint (GOAWAY, CANCEL_PUSH, MAX_PUSH_ID); anything else is H3_FRAME_ERROR
    /// (RFC 9114 section 7.1: a frame whose payload does not match its length).
    /// </summary>
    public static long ReadVarIntPayload(ReadOnlySpan<byte> payload)
    {
        if (!VariableLengthInteger.TryRead(payload, out long value, out int n) || n != payload.Length)
            throw new Http3ProtocolException(Http3ErrorCode.FrameError, "frame payload is not exactly one varint");
        return value;
    }

    /// <summary>Reads a PUSH_PROMISE payload: the Push ID and the field section.</summary>
    public static long ReadPushPromise(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> fieldSection)
    {
        if (!VariableLengthInteger.TryRead(payload, out long pushId, out int n))
            throw new Http3ProtocolException(Http3ErrorCode.FrameError, "truncated PUSH_PROMISE");
        fieldSection = payload[n..];
        return pushId;
    }

    /// <summary>
    /// Checks a frame type against where it arrived (RFC 9114 section 7.2): HTTP/2-reserved types are never allowed,
    /// SETTINGS/GOAWAY/MAX_PUSH_ID/CANCEL_PUSH only on the control stream, DATA/HEADERS/PUSH_PROMISE never on it.
    /// Unknown types are allowed everywhere (and skipped by the caller).
    /// </summary>
    public static void CheckAllowed(long type, bool onControlStream)
    {
        bool ok = type switch
        {
            _ when Http3FrameType.IsHttp2Reserved(type) => false,
            Http3FrameType.Data or Http3FrameType.Headers or Http3FrameType.PushPromise => !onControlStream,
            Http3FrameType.Settings or Http3FrameType.GoAway or Http3FrameType.MaxPushId or Http3FrameType.CancelPush => onControlStream,
            _ => true,
        };
        if (!ok)
            throw new Http3ProtocolException(Http3ErrorCode.FrameUnexpected, $"frame type 0x{type:x} not allowed on this stream");
    }
}
