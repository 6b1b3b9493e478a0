namespace RtcClient.Quic.Connection;

/// <summary>
/// Datagram Packetization Layer PMTU Discovery (RFC 8899, applied to QUIC by RFC 9000 section 14.3):
/// the search for the largest UDP payload the path carries. Sans-IO state only: the connection sends
/// PING+PADDING probes of <see cref="GetProbeSize"/> bytes and reports whether each was acknowledged or lost.
/// Starts at <see cref="BasePlpmtu"/> (every QUIC path carries 1200 bytes), tries the largest size first
/// (on loopback and on most LANs it succeeds at once), then searches by halving. A size fails after
/// <see cref="MaxProbes"/> lost probes; a lost probe is never a congestion signal. Black hole detection
/// (RFC 8899 section 4.3): when <see cref="BlackHoleThreshold"/> packets larger than <see cref="BasePlpmtu"/> are
/// lost with none acknowledged in between, while a smaller one is acknowledged (the connection sends its PTO
/// probes at the base size), the path stopped carrying the larger size: back to the base, and search again.
/// Times are microseconds.
/// </summary>
internal sealed class PathMtuDiscovery
{
    /// <summary>BASE_PLPMTU: the smallest UDP payload a QUIC path carries (RFC 9000 section 14).</summary>
    public const int BasePlpmtu = 1200;

    /// <summary>MAX_PROBES: consecutive lost probes after which a size is taken as too large (RFC 8899 section 5.1.2).</summary>
    public const int MaxProbes = 3;

    /// <summary>The search ends once the largest size that worked and the smallest that failed are this close.</summary>
    public const int SearchPrecision = 16;

    /// <summary>Lost packets above the base size, with no such packet acknowledged since, that make a black hole.</summary>
    public const int BlackHoleThreshold = 3;

    /// <summary>PMTU_RAISE_TIMER: after a search that ended below the maximum, probe again this much later (600 s).</summary>
    public const long RaiseInterval = 600_000_000;

    private int _high;          // largest size not yet known to fail
    private int _candidate;     // size being tried
    private int _failures;      // consecutive lost probes of the candidate
    private int _outstanding;   // size of the probe in flight, 0 when none
    private long _completedAt = -1;
    private int _largeLost;             // packets above the base size lost since one was acknowledged
    private bool _smallAckedSinceLoss;  // a packet at most the base size was acknowledged since then

    /// <summary>Creates a search up to <paramref name="maxPlpmtu"/> (<see cref="BasePlpmtu"/>: no search).</summary>
    public PathMtuDiscovery(int maxPlpmtu = BasePlpmtu)
    {
        Plpmtu = BasePlpmtu;
        SetMaxPlpmtu(maxPlpmtu);
    }

    /// <summary>PLPMTU: the largest UDP payload confirmed to cross the path.</summary>
    public int Plpmtu { get; private set; }

    /// <summary>MAX_PLPMTU: the largest size worth trying (our limit and the peer's max_udp_payload_size).</summary>
    public int MaxPlpmtu { get; private set; }

    /// <summary>True while sizes between <see cref="Plpmtu"/> and <see cref="MaxPlpmtu"/> remain untested.</summary>
    public bool IsSearching => _completedAt < 0;

    /// <summary>Probes sent.</summary>
    public int ProbesSent { get; private set; }

    /// <summary>Probes declared lost.</summary>
    public int ProbesLost { get; private set; }

    /// <summary>Times the search fell back to the base size after a black hole.</summary>
    public int BlackHoles { get; private set; }

    /// <summary>Sets MAX_PLPMTU (at least <see cref="BasePlpmtu"/>) and restarts the search above the current PLPMTU.</summary>
    public void SetMaxPlpmtu(int maxPlpmtu)
    {
        MaxPlpmtu = Math.Max(BasePlpmtu, maxPlpmtu);
        Plpmtu = Math.Min(Plpmtu, MaxPlpmtu);
        Restart(0);
    }

    /// <summary>The size of the probe to send now, or 0 when none (one in flight, or the search is over).</summary>
    public int GetProbeSize(long now)
    {
        if (_outstanding != 0) return 0;
        if (!IsSearching)
        {
            // RFC 8899 section 5.1.1: a path may have grown; look again now and then.
            if (_high >= MaxPlpmtu || now < _completedAt + RaiseInterval) return 0;
            Restart(now);
            if (!IsSearching) return 0;
        }
        return _candidate;
    }

    /// <summary>A probe of <paramref name="size"/> bytes left.</summary>
    public void OnProbeSent(int size)
    {
        _outstanding = size;
        ProbesSent++;
    }

    /// <summary>A probe was acknowledged; returns true when <see cref="Plpmtu"/> grew.</summary>
    public bool OnProbeAcked(int size, long now)
    {
        if (size == _outstanding) _outstanding = 0;
        if (size <= Plpmtu) return false;
        Plpmtu = Math.Min(size, MaxPlpmtu);
        _high = Math.Max(_high, Plpmtu);
        _failures = 0;
        Narrow(now);
        return true;
    }

    /// <summary>A probe was declared lost (not congestion: RFC 9000 section 14.4).</summary>
    public void OnProbeLost(int size, long now)
    {
        if (size == _outstanding) _outstanding = 0;
        ProbesLost++;
        if (size != _candidate || !IsSearching || ++_failures < MaxProbes) return;
        _high = size - 1;
        _failures = 0;
        Narrow(now);
    }

    /// <summary>A packet (not a probe) of <paramref name="size"/> bytes was acknowledged; returns true when a black hole made <see cref="Plpmtu"/> fall.</summary>
    public bool OnPacketAcked(int size)
    {
        if (size > BasePlpmtu)
        {
            _largeLost = 0;
            _smallAckedSinceLoss = false;
            return false;
        }
        if (_largeLost > 0) _smallAckedSinceLoss = true;
        return CheckBlackHole();
    }

    /// <summary>A packet (not a probe) of <paramref name="size"/> bytes was lost; returns true when a black hole made <see cref="Plpmtu"/> fall.</summary>
    public bool OnPacketLost(int size)
    {
        if (size <= BasePlpmtu) return false;
        _largeLost++;
        return CheckBlackHole();
    }

    private bool CheckBlackHole()
    {
        if (Plpmtu == BasePlpmtu || _largeLost < BlackHoleThreshold || !_smallAckedSinceLoss) return false;
        BlackHoles++;
        Plpmtu = BasePlpmtu;
        _outstanding = 0;
        _largeLost = 0;
        _smallAckedSinceLoss = false;
        SetMaxPlpmtu(MaxPlpmtu);
        return true;
    }

    // The first try is the largest size; then the search halves the untested range.
    private void Restart(long now)
    {
        _high = MaxPlpmtu;
        _failures = 0;
        _candidate = MaxPlpmtu;
        _completedAt = MaxPlpmtu > Plpmtu ? -1 : now;
    }

    private void Narrow(long now)
    {
        if (_high - Plpmtu < SearchPrecision)
        {
            _completedAt = now;
            return;
        }
        _candidate = Plpmtu + (_high - Plpmtu + 1) / 2;
    }
}
