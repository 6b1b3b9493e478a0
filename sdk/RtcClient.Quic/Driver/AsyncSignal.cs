namespace RtcClient.Quic.Driver;

/// <summary>
/// An auto-reset signal for one waiter at a time: a Set with nobody waiting is remembered, so a wake-up
/// between "check state" and "wait" is never lost. Continuations run asynchronously (never under the driver lock).
/// </summary>
internal sealed class AsyncSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _waiter;
    private bool _pending;

    /// <summary>Completes at the next <see cref="Set"/> (or at once if one happened since the last wait).</summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            if (_pending)
            {
                _pending = false;
                return Task.CompletedTask;
            }
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }

    /// <summary>Wakes the waiter, or remembers the wake-up.</summary>
    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            if (waiter is null) _pending = true;
        }
        waiter?.TrySetResult();
    }
}
