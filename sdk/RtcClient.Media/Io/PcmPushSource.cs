namespace RtcClient.Media.Io;

/// <summary>
/// Audio source fed by application code (a bot): the application pushes 20 ms frames whenever it
/// has them; the pipeline reads one frame per tick and gets silence when none is queued (counted as
/// an underrun). Holds at most <c>capacityFrames</c>; older frames are dropped when the application
/// runs ahead.
/// </summary>
public sealed class PcmPushSource : IAudioFrameSource
{
    private readonly PcmFrameQueue queue;

    /// <summary>Creates a source of <paramref name="format"/> frames buffering up to <paramref name="capacityFrames"/>.</summary>
    public PcmPushSource(AudioFormat format, int capacityFrames = 50)
    {
        Format = format;
        queue = new PcmFrameQueue(format.FrameSamples, capacityFrames);
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <summary>Frames waiting to be sent.</summary>
    public int QueuedFrames => queue.Count;

    /// <summary>Ticks that found no frame and sent silence.</summary>
    public long Underruns { get; private set; }

    /// <summary>Frames dropped because the queue was full.</summary>
    public long DroppedFrames => queue.Dropped;

    /// <summary>Queues one frame of exactly <see cref="AudioFormat.FrameSamples"/> samples (application side).</summary>
    public void Push(ReadOnlySpan<short> frame) => queue.Enqueue(frame);

    /// <inheritdoc />
    public bool ReadFrame(Span<short> frame)
    {
        var f = frame[..Format.FrameSamples];
        if (!queue.TryDequeue(f))
        {
            f.Clear();
            Underruns++;
        }
        return true;
    }
}
