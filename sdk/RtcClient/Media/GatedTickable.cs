using RtcClient.Media.Clock;

namespace RtcClient.Media;

/// <summary>
/// Puts a stream on the media clock so that it can be paused (hold) and closed safely: once
/// <see cref="Close"/> returns, no tick runs or will run, so the stream's codecs can be disposed.
/// </summary>
internal sealed class GatedTickable(IMediaTickable inner, Func<bool> open) : IMediaTickable
{
    private readonly Lock _gate = new();
    private bool _closed;

    public void OnTick(TimeSpan now)
    {
        lock (_gate)
        {
            if (!_closed && open())
                inner.OnTick(now);
        }
    }

    public void Close()
    {
        lock (_gate)
            _closed = true;
    }
}
