using RtcClient.Media.Io;

namespace RtcClient.Tests.Media;

/// <summary>
/// An audio sink that measures each frame with the Goertzel algorithm: completes a waiter after enough
/// consecutive frames are dominated by a frequency, and counts frames and non-silent frames.
/// </summary>
internal sealed class ToneDetector(AudioFormat format) : IAudioFrameSink
{
    private const int ConsecutiveFrames = 10;
    private readonly Lock _gate = new();
    private readonly List<(Func<long, bool> Condition, TaskCompletionSource Waiter)> _waiters = [];
    private double _frequency = double.NaN;
    private int _run;
    private long _frames, _audible;
    private long _lastToneAt;
    private TimeSpan _longestGap;

    /// <summary>The longest wall-clock time between two frames dominated by the awaited tone since <see cref="ResetGap"/>.</summary>
    public TimeSpan LongestGap { get { lock (_gate) return _longestGap; } }

    /// <summary>Starts measuring <see cref="LongestGap"/> afresh.</summary>
    public void ResetGap()
    {
        lock (_gate)
        {
            _longestGap = TimeSpan.Zero;
            _lastToneAt = 0;
        }
    }

    public AudioFormat Format => format;

    public long Frames { get { lock (_gate) return _frames; } }

    public long AudibleFrames { get { lock (_gate) return _audible; } }

    /// <summary>Completes when <paramref name="frequency"/> dominated ten consecutive frames.</summary>
    public Task WaitForToneAsync(double frequency, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _frequency = frequency;
            _run = 0;
        }
        return WaitAsync(_ => Volatile.Read(ref _run) >= ConsecutiveFrames, timeout, $"a {frequency} Hz tone", cancellationToken);
    }

    /// <summary>Completes after <paramref name="count"/> more frames were written (the media clock's pace).</summary>
    public Task WaitForFramesAsync(int count, CancellationToken cancellationToken)
    {
        long target = Frames + count;
        return WaitAsync(frames => frames >= target, TimeSpan.FromSeconds(10), $"{count} frames", cancellationToken);
    }

    public void WriteFrame(ReadOnlySpan<short> frame)
    {
        double energy = 0;
        foreach (short s in frame)
            energy += (double)s * s;
        List<TaskCompletionSource>? done = null;
        lock (_gate)
        {
            _frames++;
            if (energy / frame.Length > 100 * 100)
                _audible++;
            if (!double.IsNaN(_frequency))
            {
                double share = energy == 0 ? 0 : Goertzel(frame, _frequency, format.SampleRate) * 2 / frame.Length / energy;
                bool tone = share > 0.6 && energy / frame.Length > 300 * 300;
                _run = tone ? _run + 1 : 0;
                if (tone)
                {
                    long now = System.Diagnostics.Stopwatch.GetTimestamp();
                    if (_lastToneAt != 0)
                    {
                        var gap = System.Diagnostics.Stopwatch.GetElapsedTime(_lastToneAt, now);
                        if (gap > _longestGap) _longestGap = gap;
                    }
                    _lastToneAt = now;
                }
            }
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_frames))
                {
                    (done ??= []).Add(_waiters[i].Waiter);
                    _waiters.RemoveAt(i);
                }
            }
        }
        done?.ForEach(w => w.TrySetResult());
    }

    /// <summary>Squared magnitude of the DFT of <paramref name="x"/> at <paramref name="frequency"/>.</summary>
    private static double Goertzel(ReadOnlySpan<short> x, double frequency, int sampleRate)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (short sample in x)
        {
            double s0 = sample + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }

    private async Task WaitAsync(Func<long, bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_frames))
                return;
            _waiters.Add((condition, waiter));
        }
        try
        {
            await waiter.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"no {what} within {timeout.TotalSeconds} s ({Frames} frames, {AudibleFrames} audible)");
        }
    }
}
