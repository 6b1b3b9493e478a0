namespace RtcClient.Http3;

/// <summary>Limits and features of an HTTP/3 endpoint (client or server).</summary>
public sealed class Http3Options
{
    /// <summary>SETTINGS_MAX_FIELD_SECTION_SIZE we advertise and enforce on received field sections.</summary>
    public long MaxFieldSectionSize { get; set; } = 64 * 1024;

    /// <summary>SETTINGS_QPACK_MAX_TABLE_CAPACITY we advertise (our decoder's dynamic table).</summary>
    public long QpackMaxTableCapacity { get; set; } = 4096;

    /// <summary>SETTINGS_QPACK_BLOCKED_STREAMS we advertise.</summary>
    public long QpackBlockedStreams { get; set; } = 16;

    /// <summary>Largest dynamic table our encoder uses (bounded by the peer's setting).</summary>
    public long EncoderTableCapacity { get; set; } = 4096;

    /// <summary>Advertise SETTINGS_H3_DATAGRAM and accept HTTP datagrams.</summary>
    public bool EnableDatagrams { get; set; } = true;

    /// <summary>Advertise extended CONNECT and both WebTransport dialects.</summary>
    public bool EnableWebTransport { get; set; } = true;

    /// <summary>WebTransport sessions allowed at once on one connection.</summary>
    public int MaxWebTransportSessions { get; set; } = 16;

    /// <summary>Send GREASE settings, frames and stream types (RFC 9114 section 7.2.8, 6.2.3).</summary>
    public bool SendGrease { get; set; } = true;

    /// <summary>Largest capsule accepted on a CONNECT stream.</summary>
    public int MaxCapsuleLength { get; set; } = 65536 + 64;

    /// <summary>Datagrams queued per WebTransport session before the oldest is dropped.</summary>
    public int DatagramQueueLength { get; set; } = 256;

    /// <summary>
    /// Datagrams kept per connection for WebTransport sessions not established yet (sent optimistically right
    /// behind the CONNECT, or overtaking its response); the oldest is dropped first. 0 drops them.
    /// </summary>
    public int EarlyDatagramLimit { get; set; } = 64;

    /// <summary>How long a WebTransport session started without waiting may wait for the server's response before it is given up.</summary>
    public TimeSpan WebTransportResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
