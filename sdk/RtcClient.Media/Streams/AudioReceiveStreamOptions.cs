namespace RtcClient.Media.Streams;

/// <summary>Configuration of an <see cref="AudioReceiveStream"/>.</summary>
public sealed record AudioReceiveStreamOptions
{
    /// <summary>Flow id of the RTCP flow receiver reports go out on.</summary>
    public required ulong RtcpFlowId { get; init; }

    /// <summary>Our SSRC: sender of our receiver reports, and the source remote report blocks about us refer to.</summary>
    public required uint LocalSsrc { get; init; }

    /// <summary>Frame duration (must equal the clock tick). Default 20 ms.</summary>
    public TimeSpan FrameDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Payload type of RFC 4733 telephone events; null if not negotiated.</summary>
    public byte? TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>Payload type of RFC 3389 comfort noise (13, the static one for 8 kHz).</summary>
    public int ComfortNoisePayloadType { get; init; } = 13;

    /// <summary>Interval between receiver reports.</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Jitter buffer capacity in packets (power of two).</summary>
    public int JitterBufferCapacity { get; init; } = 64;

    /// <summary>Upper bound of the jitter buffer's delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(600);
}
