namespace RtcClient.Media.Streams;

/// <summary>Configuration of an <see cref="AudioSendStream"/>.</summary>
public sealed record AudioSendStreamOptions
{
    /// <summary>Flow id of the RTP flow.</summary>
    public required ulong FlowId { get; init; }

    /// <summary>Flow id of the RTCP flow.</summary>
    public required ulong RtcpFlowId { get; init; }

    /// <summary>SSRC of the stream.</summary>
    public required uint Ssrc { get; init; }

    /// <summary>Frame duration (must equal the clock tick). Default 20 ms.</summary>
    public TimeSpan FrameDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Payload type of RFC 4733 telephone events; null disables DTMF.</summary>
    public byte? TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>Send the RFC 6464 audio level extension (id 1).</summary>
    public bool SendAudioLevel { get; init; } = true;

    /// <summary>
    /// With a comfort-noise encoder: frames quieter than this (dBov, as RFC 6464 levels) are silence,
    /// sent as RFC 3389 SID packets instead of audio.
    /// </summary>
    public int SilenceThresholdDbov { get; init; } = 50;

    /// <summary>With a comfort-noise encoder: frames between two SID updates during silence.</summary>
    public int ComfortNoiseUpdateFrames { get; init; } = 10;

    /// <summary>Interval between sender reports.</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>SDES CNAME.</summary>
    public string Cname { get; init; } = "rtcclient";

    /// <summary>First sequence number (random by default, RFC 3550).</summary>
    public ushort? InitialSequenceNumber { get; init; }

    /// <summary>First timestamp (random by default, RFC 3550).</summary>
    public uint? InitialTimestamp { get; init; }
}
