namespace RtcClient.Server.Media;

/// <summary>
/// Token bucket per leg: a leg may not send more than a multiple of its directive's bitrate
/// (docs/protocol.md section 10), so one misbehaving client cannot flood the other.
/// </summary>
internal sealed class LegRateLimiter
{
    private readonly long _frequency;
    private double _tokens = double.NaN;
    private long _last;

    public LegRateLimiter(long timestampFrequency, long now)
    {
        _frequency = timestampFrequency;
        _last = now;
    }

    /// <summary>The directive <see cref="BytesPerSecond"/> was computed from.</summary>
    public RtcClient.Protocol.Directive? Directive { get; set; }

    /// <summary>Bytes per second allowed.</summary>
    public double BytesPerSecond { get; set; } = 64_000;

    /// <summary>True when <paramref name="bytes"/> may pass at <paramref name="now"/>.</summary>
    public bool TryConsume(int bytes, long now)
    {
        double burst = BytesPerSecond; // one second of burst absorbs key frames and jitter
        // A new leg starts with a full bucket.
        _tokens = double.IsNaN(_tokens) ? burst : Math.Min(burst, _tokens + (now - _last) * BytesPerSecond / _frequency);
        _last = now;
        if (_tokens < bytes) return false;
        _tokens -= bytes;
        return true;
    }
}
