namespace RtcClient.Media.Jitter;

/// <summary>Configuration of an <see cref="AudioJitterBuffer"/>.</summary>
public sealed record AudioJitterBufferOptions
{
    /// <summary>RTP clock rate of the audio payload (8000 for G.711, 48000 for Opus).</summary>
    public required int ClockRate { get; init; }

    /// <summary>Frame duration; one frame is played per call to Read. Default 20 ms.</summary>
    public TimeSpan FrameDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Packets the buffer holds (a power of two). Bounds memory: Capacity * MaxPayloadSize bytes.</summary>
    public int Capacity { get; init; } = 64;

    /// <summary>Largest payload accepted.</summary>
    public int MaxPayloadSize { get; init; } = 1200;

    /// <summary>Upper bound for the adaptive target delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Payload type of RFC 3389 comfort noise (13), handed to the comfort-noise decoder.</summary>
    public int ComfortNoisePayloadType { get; init; } = 13;

    /// <summary>Timestamp jumps larger than this (with consecutive sequence numbers) count as a discontinuity.</summary>
    public TimeSpan MaxTimestampJump { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Ticks the delay must stay a frame above target before one frame is dropped to shrink it.</summary>
    public int ShrinkAfterTicks { get; init; } = 25;
}
