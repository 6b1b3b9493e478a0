namespace RtcClient.Http3.WebTransport;

/// <summary>
/// Datagrams that arrive for a WebTransport session this side does not know yet: a server gets them when the
/// client sent them right behind its CONNECT (draft-ietf-webtrans-http3 lets a client send datagrams before the
/// response), a client gets them when the server's first datagrams overtake its 2xx response. They are kept,
/// bounded in count and bytes with the oldest dropped first, until the session is registered, and then handed to
/// it. What never finds a session is pushed out by newer datagrams.
/// </summary>
internal sealed class EarlyDatagramBuffer(int maxDatagrams, int maxBytes)
{
    private readonly Queue<(long SessionId, byte[] Payload)> _queue = new();
    private int _bytes;
    private long _dropped;

    /// <summary>Datagrams waiting (read under the caller's lock).</summary>
    public int Count => _queue.Count;

    /// <summary>Datagrams dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Keeps a copy of <paramref name="payload"/> for <paramref name="sessionId"/>; the caller holds the lock that orders it with <see cref="TakeFor"/>.</summary>
    public void Add(long sessionId, ReadOnlySpan<byte> payload)
    {
        if (maxDatagrams <= 0 || payload.Length > maxBytes)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        while (_queue.Count >= maxDatagrams || _bytes + payload.Length > maxBytes)
        {
            _bytes -= _queue.Dequeue().Payload.Length;
            Interlocked.Increment(ref _dropped);
        }
        _queue.Enqueue((sessionId, payload.ToArray()));
        _bytes += payload.Length;
    }

    /// <summary>Removes and returns, in arrival order, what was kept for <paramref name="sessionId"/> (null when nothing was).</summary>
    public List<byte[]>? TakeFor(long sessionId)
    {
        if (_queue.Count == 0)
            return null;
        List<byte[]>? taken = null;
        int count = _queue.Count;
        for (int i = 0; i < count; i++)
        {
            var entry = _queue.Dequeue();
            if (entry.SessionId == sessionId)
            {
                (taken ??= []).Add(entry.Payload);
                _bytes -= entry.Payload.Length;
            }
            else
            {
                _queue.Enqueue(entry);
            }
        }
        return taken;
    }
}
