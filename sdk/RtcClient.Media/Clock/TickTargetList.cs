namespace RtcClient.Media.Clock;

/// <summary>
/// Copy-on-write list of tick targets: registration is rare and takes a lock, the tick loop reads a
/// snapshot array without locking or allocating.
/// </summary>
internal sealed class TickTargetList
{
    private readonly Lock _gate = new();
    private volatile IMediaTickable[] _targets = [];

    public IMediaTickable[] Snapshot => _targets;

    public void Add(IMediaTickable target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_gate)
        {
            if (Array.IndexOf(_targets, target) >= 0)
                return;
            var next = new IMediaTickable[_targets.Length + 1];
            _targets.CopyTo(next, 0);
            next[^1] = target;
            _targets = next;
        }
    }

    public bool Remove(IMediaTickable target)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_targets, target);
            if (index < 0)
                return false;
            var next = new IMediaTickable[_targets.Length - 1];
            Array.Copy(_targets, 0, next, 0, index);
            Array.Copy(_targets, index + 1, next, index, _targets.Length - index - 1);
            _targets = next;
            return true;
        }
    }

    /// <summary>Runs one tick on every target; returns how many threw.</summary>
    public int Tick(TimeSpan now)
    {
        int errors = 0;
        foreach (var target in _targets)
        {
            try
            {
                target.OnTick(now);
            }
            catch (Exception)
            {
                // One broken stream must not stop the clock for every other call in the process.
                errors++;
            }
        }
        return errors;
    }
}
