namespace RtcClient.Http3.WebTransport;

/// <summary>
/// Datagrams that arrive for a WebTransport session this side does not know yet: a server gets them when the
/// client sent them right behind its CONNECT (draft-ietf-webtrans-http3 lets a client send datagrams before the
/// response). (A client registers its session before the CONNECT leaves, so it never needs to.) They are kept,
/// bounded in count and bytes with the oldest dropped first, and for at most <c>maxAge</c> (RFC 9297 section 2.1
/// asks for about a round trip; datagrams of a session that has just ended must not linger), until the session
/// is registered, and then handed to it.
/// </summary>
internal sealed class EarlyDatagramBuffer(int maxDatagrams, int maxBytes, TimeSpan? maxAge = null, Func<long>? clockMs = null)
{
    private readonly Queue<(long SessionId, byte[] Payload, long At)> _queue = new();
    private readonly long _maxAgeMs = (long)(maxAge ?? TimeSpan.FromSeconds(1)).TotalMilliseconds;
    private readonly Func<long> _clockMs = clockMs ?? (static () => Environment.TickCount64);
    private int _bytes;

    /// <summary>Datagrams waiting (read under the caller's lock).</summary>
    public int Count => _queue.Count;

    /// <summary>Datagrams dropped: the buffer was full, or they waited too long (read under the caller's lock).</summary>
    public long Dropped { get; private set; }

    /// <summary>Keeps a copy of <paramref name="payload"/> for <paramref name="sessionId"/>; the caller holds the lock that orders it with <see cref="TakeFor"/>.</summary>
    public void Add(long sessionId, ReadOnlySpan<byte> payload)
    {
        if (maxDatagrams <= 0 || payload.Length > maxBytes)
        {
            Dropped++;
            return;
        }
        long now = _clockMs();
        while (_queue.Count > 0 && (_queue.Count >= maxDatagrams || _bytes + payload.Length > maxBytes || now - _queue.Peek().At > _maxAgeMs))
        {
            _bytes -= _queue.Dequeue().Payload.Length;
            Dropped++;
        }
        _queue.Enqueue((sessionId, payload.ToArray(), now));
        _bytes += payload.Length;
    }

    /// <summary>Removes and returns, in arrival order, what was kept for <paramref name="sessionId"/> (null when nothing was).</summary>
    public List<byte[]>? TakeFor(long sessionId)
    {
        if (_queue.Count == 0)
            return null;
        List<byte[]>? taken = null;
        long now = _clockMs();
        int count = _queue.Count;
        for (int i = 0; i < count; i++)
        {
            var entry = _queue.Dequeue();
            bool stale = now - entry.At > _maxAgeMs;
            if (entry.SessionId == sessionId || stale)
            {
                _bytes -= entry.Payload.Length;
                if (stale) Dropped++;
                else (taken ??= []).Add(entry.Payload);
            }
            else
            {
                _queue.Enqueue(entry);
            }
        }
        return taken;
    }
}
