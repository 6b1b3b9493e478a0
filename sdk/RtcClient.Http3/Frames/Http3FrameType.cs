namespace RtcClient.Http3.Frames;

/// <summary>HTTP/3 frame types (RFC 9114 section 7.2) and the WebTransport stream signal.</summary>
internal static class Http3FrameType
{
    public const long Data = 0x00;
    public const long Headers = 0x01;
    public const long CancelPush = 0x03;
    public const long Settings = 0x04;
    public const long PushPromise = 0x05;
    public const long GoAway = 0x07;
    public const long MaxPushId = 0x0d;

    /// <summary>WEBTRANSPORT_STREAM: first bytes of a WebTransport bidirectional stream, followed by the session ID.</summary>
    public const long WebTransportStream = 0x41;

    /// <summary>Frame types of HTTP/2 that HTTP/3 reserves; receiving one is H3_FRAME_UNEXPECTED (RFC 9114 section 7.2.8).</summary>
    public static bool IsHttp2Reserved(long type) => type is 0x02 or 0x06 or 0x08 or 0x09;

    /// <summary>Reserved (GREASE) types 0x1f * N + 0x21 (RFC 9114 section 7.2.8).</summary>
    public static bool IsGrease(long type) => type >= 0x21 && (type - 0x21) % 0x1f == 0;

    /// <summary>A GREASE value for type, setting or stream-type fields.</summary>
    public static long Grease(int n) => 0x1f * (long)n + 0x21;
}
