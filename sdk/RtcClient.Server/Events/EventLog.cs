namespace RtcClient.Server.Events;

/// <summary>
/// The events of one leg or handler, numbered by seq, with a bounded replay buffer for reconnecting
/// readers (Last-Event-ID). Readers wait for newer events without polling. Thread-safe.
/// </summary>
public sealed class EventLog
{
    private readonly object _gate = new();
    private readonly Queue<(long Seq, string Type, string Json)> _buffer = new();
    private readonly int _capacity;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSeq;
    private bool _completed;

    /// <summary>Creates a log that keeps the last <paramref name="capacity"/> events.</summary>
    public EventLog(int capacity) => _capacity = Math.Max(1, capacity);

    /// <summary>
    /// Creates a log that continues another instance's numbering after <paramref name="lastSeq"/> (migration),
    /// holding that instance's newest event for a reader that missed it.
    /// </summary>
    public EventLog(int capacity, long lastSeq, string? lastType, string? lastJson)
        : this(capacity)
    {
        _lastSeq = Math.Max(0, lastSeq);
        if (lastType is not null && lastJson is not null && lastSeq > 0) _buffer.Enqueue((lastSeq, lastType, lastJson));
    }

    /// <summary>The seq of the newest event (0 before the first).</summary>
    public long LastSeq { get { lock (_gate) return _lastSeq; } }

    /// <summary>Appends an event built for its seq; returns that seq.</summary>
    public long Append(string type, Func<long, string> buildJson)
    {
        ArgumentNullException.ThrowIfNull(buildJson);
        TaskCompletionSource wake;
        long seq;
        lock (_gate)
        {
            if (_completed) return _lastSeq;
            seq = ++_lastSeq;
            _buffer.Enqueue((seq, type, buildJson(seq)));
            while (_buffer.Count > _capacity) _buffer.Dequeue();
            wake = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        wake.TrySetResult();
        return seq;
    }

    /// <summary>No more events will come (the leg ended and its last event was appended).</summary>
    public void Complete()
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            _completed = true;
            wake = _changed;
        }
        wake.TrySetResult();
    }

    /// <summary>
    /// Copies the buffered events newer than <paramref name="afterSeq"/> into <paramref name="into"/>;
    /// returns a task that completes when something changes, and whether the log is complete.
    /// </summary>
    public Task Read(long afterSeq, List<(long Seq, string Type, string Json)> into, out bool completed)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_gate)
        {
            foreach (var e in _buffer)
                if (e.Seq > afterSeq) into.Add(e);
            completed = _completed;
            return _changed.Task;
        }
    }
}
