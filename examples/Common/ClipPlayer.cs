using RtcClient.Media.Io;

namespace RtcExamples;

/// <summary>
/// A call's audio source that plays queued clips one after another, then silence (or loops the last
/// clip). Each <see cref="PlayAsync"/> completes when its clip's last sample has been taken by the
/// media clock, so a bot can wait for a prompt to finish without a thread of its own.
/// </summary>
public sealed class ClipPlayer : IAudioFrameSource
{
    private readonly Lock _gate = new();
    private readonly Queue<(short[] Samples, TaskCompletionSource Done)> _clips = new();
    private short[]? _current;
    private TaskCompletionSource? _currentDone;
    private int _position;

    /// <summary>Creates a player of <paramref name="format"/> frames.</summary>
    public ClipPlayer(AudioFormat format) => Format = format;

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>Replay a clip from its start whenever it ends and nothing else is queued.</summary>
    public bool Loop { get; set; }

    /// <summary>Queues <paramref name="samples"/> (interleaved, in <see cref="Format"/>); completes once played.</summary>
    public Task PlayAsync(short[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _clips.Enqueue((samples, done));
        return done.Task;
    }

    /// <summary>Drops everything queued (their tasks complete).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _currentDone?.TrySetResult();
            _current = null;
            _currentDone = null;
            while (_clips.TryDequeue(out var clip)) clip.Done.TrySetResult();
        }
    }

    /// <inheritdoc />
    public bool ReadFrame(Span<short> frame)
    {
        var output = frame[..Format.FrameSamples];
        lock (_gate)
        {
            int written = 0;
            while (written < output.Length)
            {
                if (_current is null || _position >= _current.Length)
                {
                    if (_current is not null && _clips.Count == 0 && Loop)
                    {
                        _position = 0;
                        if (_current.Length == 0) break;
                        continue;
                    }
                    _currentDone?.TrySetResult();
                    _currentDone = null;
                    _current = null;
                    if (!_clips.TryDequeue(out var next)) break;
                    (_current, _currentDone, _position) = (next.Samples, next.Done, 0);
                    continue;
                }
                int n = Math.Min(output.Length - written, _current.Length - _position);
                _current.AsSpan(_position, n).CopyTo(output[written..]);
                _position += n;
                written += n;
            }
            output[written..].Clear();
            if (_current is not null && _position >= _current.Length && !Loop && _clips.Count == 0)
            {
                _currentDone?.TrySetResult();
                _currentDone = null;
                _current = null;
            }
        }
        return true;
    }
}
