namespace RtcClient.Media.Io;

/// <summary>
/// Bounded FIFO of fixed-size PCM frames in one preallocated ring; when full the oldest frame is
/// dropped (counted), so a stalled reader costs bounded memory. Thread-safe, allocation-free.
/// </summary>
internal sealed class PcmFrameQueue
{
    private readonly short[] ring;
    private readonly int frameSamples;
    private readonly int capacity;
    private readonly Lock gate = new();
    private int head;
    private int count;

    public PcmFrameQueue(int frameSamples, int capacityFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSamples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityFrames);
        this.frameSamples = frameSamples;
        capacity = capacityFrames;
        ring = new short[frameSamples * capacityFrames];
    }

    public long Dropped { get; private set; }

    public int Count
    {
        get
        {
            lock (gate)
                return count;
        }
    }

    public void Enqueue(ReadOnlySpan<short> frame)
    {
        if (frame.Length != frameSamples)
            throw new ArgumentException($"a frame is {frameSamples} samples", nameof(frame));
        lock (gate)
        {
            if (count == capacity)
            {
                head = (head + 1) % capacity;
                count--;
                Dropped++;
            }
            int slot = (head + count) % capacity;
            frame.CopyTo(ring.AsSpan(slot * frameSamples, frameSamples));
            count++;
        }
    }

    public bool TryDequeue(Span<short> frame)
    {
        lock (gate)
        {
            if (count == 0)
                return false;
            ring.AsSpan(head * frameSamples, frameSamples).CopyTo(frame);
            head = (head + 1) % capacity;
            count--;
            return true;
        }
    }
}
