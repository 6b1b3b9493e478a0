namespace RtcClient.Media.Jitter;

/// <summary>
/// Estimates how much buffering a stream needs from the relative transit delays of its packets
/// (arrival time minus RTP timestamp, both in timestamp units): the RFC 3550 interarrival jitter
/// and the 95th percentile of the delay above the fastest packet over a sliding window.
/// </summary>
internal sealed class DelayEstimator
{
    private const int Window = 128;
    private const int RecomputeEvery = 16; // a sort of the window every 320 ms of 20 ms packets

    private readonly int[] _window = new int[Window];
    private int _count;
    private int _position;
    private int _sinceRecompute;
    private bool _haveLast;
    private int _lastTransit;
    private double _jitter;

    /// <summary>Smallest relative delay in the window (the fastest path).</summary>
    public int MinimumDelay { get; private set; }

    /// <summary>95th percentile of delay above <see cref="MinimumDelay"/>.</summary>
    public int PercentileSpread { get; private set; }

    /// <summary>RFC 3550 interarrival jitter in timestamp units.</summary>
    public double Jitter => _jitter;

    /// <summary>True once at least one sample was added.</summary>
    public bool HasSamples => _count > 0;

    public void Add(int transit)
    {
        if (_haveLast)
            _jitter += (Math.Abs(transit - _lastTransit) - _jitter) / 16.0;
        _lastTransit = transit;
        _haveLast = true;
        _window[_position] = transit;
        _position = (_position + 1) % Window;
        if (_count < Window)
            _count++;
        if (_count == 1 || transit - MinimumDelay < 0)
            MinimumDelay = transit;
        if (++_sinceRecompute >= RecomputeEvery || _count < RecomputeEvery)
            Recompute();
    }

    public void Reset()
    {
        _count = 0;
        _position = 0;
        _haveLast = false;
        _jitter = 0;
        MinimumDelay = 0;
        PercentileSpread = 0;
    }

    private void Recompute()
    {
        _sinceRecompute = 0;
        Span<int> spread = stackalloc int[Window];
        spread = spread[.._count];
        int min = _window[0];
        for (int i = 1; i < _count; i++)
        {
            if (_window[i] - min < 0)
                min = _window[i];
        }
        for (int i = 0; i < _count; i++)
            spread[i] = _window[i] - min; // differences, so 32-bit timestamp wrap does not matter
        spread.Sort();
        MinimumDelay = min;
        PercentileSpread = spread[Math.Max(0, (int)Math.Ceiling(_count * 0.95) - 1)];
    }
}
