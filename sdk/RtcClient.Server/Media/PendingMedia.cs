namespace RtcClient.Server.Media;

/// <summary>
/// A leg's newest datagrams that arrived a moment too early to be forwarded: a callee sends from the moment
/// it posts its answer, so its first packets can reach the relay before the answer itself, and either side's
/// first packets after the answer can come before the other side's media session. Kept bounded (the newest
/// few, each for a short while) and forwarded as soon as the call is answered and both sessions are here;
/// what waits longer is stale and dropped. A leg whose far end never opens its session keeps overwriting the
/// oldest slot, reusing its buffer, so it costs no allocation per datagram. Callers hold its lock.
/// </summary>
internal sealed class PendingMedia
{
    /// <summary>Datagrams kept per leg: 160 ms of 20 ms audio.</summary>
    public const int Capacity = 8;

    /// <summary>How long a datagram may wait before it is no use to the far end's jitter buffer.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);

    private readonly (byte[]? Buffer, int Length, long Ticks)[] _slots = new (byte[]?, int, long)[Capacity];
    private int _start, _count;

    /// <summary>How many are waiting (read without the lock as a hint).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Keeps a copy; the oldest is overwritten when full. Returns true when one was pushed out.</summary>
    public bool Add(ReadOnlySpan<byte> datagram, long ticks)
    {
        bool full = _count == Capacity;
        int slot = (_start + _count) % Capacity;
        if (full)
            _start = (_start + 1) % Capacity;
        else
            Volatile.Write(ref _count, _count + 1);
        var buffer = _slots[slot].Buffer;
        if (buffer is null || buffer.Length < datagram.Length)
            buffer = new byte[Math.Max(datagram.Length, 256)];
        datagram.CopyTo(buffer);
        _slots[slot] = (buffer, datagram.Length, ticks);
        return full;
    }

    /// <summary>Removes and returns the waiting datagrams in arrival order (each the first Length bytes of its buffer), with when each arrived.</summary>
    public (byte[] Buffer, int Length, long Ticks)[] TakeAll()
    {
        var taken = new (byte[], int, long)[_count];
        for (int i = 0; i < taken.Length; i++)
        {
            ref var entry = ref _slots[(_start + i) % Capacity];
            taken[i] = (entry.Buffer!, entry.Length, entry.Ticks);
            entry = default; // handed over: forwarding rewrites it in place
        }
        _start = 0;
        Volatile.Write(ref _count, 0);
        return taken;
    }
}
