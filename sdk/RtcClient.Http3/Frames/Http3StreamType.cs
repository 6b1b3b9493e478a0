namespace RtcClient.Http3.Frames;

/// <summary>Unidirectional stream types (RFC 9114 section 6.2, RFC 9204 section 4.2, WebTransport).</summary>
internal static class Http3StreamType
{
    public const long Control = 0x00;
    public const long Push = 0x01;
    public const long QpackEncoder = 0x02;
    public const long QpackDecoder = 0x03;

    /// <summary>A WebTransport unidirectional stream, followed by the session ID.</summary>
    public const long WebTransport = 0x54;
}
