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
        // The 95th percentile is the m-th largest delay (m = count - k, 7 of 128): one pass keeping the m
        // largest in a small sorted buffer instead of sorting the whole window.
        int k = Math.Max(0, (int)Math.Ceiling(_count * 0.95) - 1);
        int m = _count - k;
        Span<int> largest = stackalloc int[Window];
        largest = largest[..m];
        int held = 0;
        int min = _window[0];
        for (int i = 0; i < _count; i++)
        {
            int v = _window[i];
            if (v - min < 0)
                min = v;
            // Kept in descending order by wrap-safe difference (timestamps are 32-bit and wrap).
            if (held < m)
            {
                int j = held++;
                while (j > 0 && v - largest[j - 1] > 0)
                {
                    largest[j] = largest[j - 1];
                    j--;
                }
                largest[j] = v;
            }
            else if (v - largest[m - 1] > 0)
            {
                int j = m - 1;
                while (j > 0 && v - largest[j - 1] > 0)
                {
                    largest[j] = largest[j - 1];
                    j--;
                }
                largest[j] = v;
            }
        }
        MinimumDelay = min;
        PercentileSpread = largest[m - 1] - min;
    }
}
