namespace RtcClient.Media.Io;

/// <summary>
/// Audio sink read by application code (a bot): the pipeline writes each decoded 20 ms frame; the
/// application takes them with <see cref="TryRead"/> or awaits <see cref="ReadAsync"/>. Holds at most
/// <c>capacityFrames</c>; the oldest are dropped when the application falls behind.
/// </summary>
public sealed class PcmPullSink : IAudioFrameSink, IDisposable
{
    private readonly PcmFrameQueue queue;
    private readonly SemaphoreSlim available = new(0);

    /// <summary>Creates a sink of <paramref name="format"/> frames buffering up to <paramref name="capacityFrames"/>.</summary>
    public PcmPullSink(AudioFormat format, int capacityFrames = 50)
    {
        Format = format;
        queue = new PcmFrameQueue(format.FrameSamples, capacityFrames);
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>Frames waiting for the application.</summary>
    public int QueuedFrames => queue.Count;

    /// <summary>Frames dropped because the application did not read in time.</summary>
    public long DroppedFrames => queue.Dropped;

    /// <inheritdoc />
    public void WriteFrame(ReadOnlySpan<short> frame)
    {
        queue.Enqueue(frame[..Format.FrameSamples]);
        // One pending signal is enough to wake a reader, which then drains the queue.
        if (available.CurrentCount == 0)
            available.Release();
    }

    /// <summary>Takes the oldest frame if there is one (application side).</summary>
    public bool TryRead(Span<short> frame)
    {
        return queue.TryDequeue(frame[..Format.FrameSamples]);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a frame; false on timeout.</summary>
    public async ValueTask<bool> ReadAsync(Memory<short> frame, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (queue.TryDequeue(frame.Span[..Format.FrameSamples]))
                return true;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await available.WaitAsync(left, cancellationToken).ConfigureAwait(false))
                return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => available.Dispose();
}
