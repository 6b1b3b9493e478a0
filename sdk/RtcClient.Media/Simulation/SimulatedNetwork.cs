using RtcClient.Media.Clock;
using RtcClient.Media.Streams;

namespace RtcClient.Media.Simulation;

/// <summary>
/// A deterministic network of simulated links driven by the media clock: datagrams in flight sit in
/// one time-ordered queue (buffers recycled, no allocation per datagram in steady state) and are
/// delivered on each tick with their exact arrival time. Seeded randomness makes runs repeatable.
/// Register it on the clock before the streams so a tick first delivers, then plays out and sends.
/// </summary>
public sealed class SimulatedNetwork : IMediaTickable
{
    private const int SmallSize = 256;   // an audio RTP datagram (G.711: 1 + 12 + 4 + 160 bytes)
    private const int LargeSize = 1500;
    private const int OrderBits = 20;
    private const long OrderMask = (1L << OrderBits) - 1;

    private readonly IMediaClock _clock;
    // Priority: due time (100 ns ticks) in the high bits, a send counter in the low 20 bits so equal
    // due times keep their send order (a plain long compares much faster than a tuple). The elements
    // hold indexes, not references: moving them in the heap needs no GC write barriers.
    private readonly PriorityQueue<InFlight, long> _queue = new();
    private readonly List<SimulatedDatagramLink> _links = [];
    // Own buffer pool: thousands of datagrams in flight would overflow the shared pool's small per-core
    // caches. Audio-sized datagrams get small slots, so what is in flight stays within the CPU caches.
    private readonly List<byte[]> _buffers = [];
    private readonly Stack<int> _freeSmall = new();
    private readonly Stack<int> _freeLarge = new();
    private readonly Stack<int> _freeOther = new();
    private readonly List<InFlight> _due = [];

    private readonly Lock _gate = new();
    private long _order;

    /// <summary>Creates a network on <paramref name="clock"/> with a fixed random seed.</summary>
    public SimulatedNetwork(IMediaClock clock, int seed)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        Random = new Random(seed);
    }

    internal Random Random { get; }

    /// <summary>Datagrams currently in flight.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_gate)
                return _queue.Count;
        }
    }

    /// <summary>Creates one direction of a link delivering to <paramref name="receiver"/>.</summary>
    public SimulatedDatagramLink CreateLink(IDatagramReceiver receiver, LinkConditions? conditions = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        lock (_gate)
        {
            var link = new SimulatedDatagramLink(this, receiver, conditions ?? LinkConditions.Perfect, _links.Count);
            _links.Add(link);
            return link;
        }
    }

    internal void Schedule(SimulatedDatagramLink link, ReadOnlySpan<byte> datagram, TimeSpan delay)
    {
        lock (_gate)
        {
            int buffer = RentBuffer(datagram.Length);
            datagram.CopyTo(_buffers[buffer]);
            long due = (_clock.Now + delay).Ticks;
            _queue.Enqueue(new InFlight(link.Index, buffer, datagram.Length), (due << OrderBits) | (_order++ & OrderMask));
        }
    }

    /// <summary>Delivers every datagram due by <paramref name="now"/>, in arrival order.</summary>
    public void OnTick(TimeSpan now)
    {
        // Take what is due in one go, deliver outside the lock (receivers may send), and repeat for
        // anything sent during delivery that is already due.
        while (true)
        {
            lock (_gate)
            {
                _due.Clear();
                while (_queue.TryPeek(out var item, out long priority) && priority >> OrderBits <= now.Ticks)
                {
                    _queue.Dequeue();
                    _due.Add(item with { Priority = priority });
                }
            }
            if (_due.Count == 0)
                return;
            int delivered = 0;
            try
            {
                for (; delivered < _due.Count; delivered++)
                {
                    var item = _due[delivered];
                    var link = _links[item.Link];
                    link.Delivered++;
                    link.Receiver.OnDatagram(_buffers[item.Buffer].AsSpan(0, item.Length), TimeSpan.FromTicks(item.Priority >> OrderBits));
                }
            }
            finally
            {
                lock (_gate)
                {
                    // A receiver that threw lost its datagram; the rest of the batch stays queued.
                    for (int i = 0; i < _due.Count; i++)
                    {
                        if (i <= delivered)
                            ReturnBuffer(_due[i].Buffer);
                        else
                            _queue.Enqueue(_due[i], _due[i].Priority);
                    }
                }
            }
        }
    }

    private int RentBuffer(int length)
    {
        int size = length <= SmallSize ? SmallSize : length <= LargeSize ? LargeSize : length;
        var free = size == SmallSize ? _freeSmall : size == LargeSize ? _freeLarge : _freeOther;
        if (free.TryPop(out int index))
        {
            if (_buffers[index].Length < size)
                _buffers[index] = new byte[size]; // an outsized slot is sized for each use
            return index;
        }
        _buffers.Add(new byte[size]);
        return _buffers.Count - 1;
    }

    private void ReturnBuffer(int index)
    {
        int size = _buffers[index].Length;
        if (size == SmallSize)
            _freeSmall.Push(index);
        else if (size == LargeSize)
            _freeLarge.Push(index);
        else
        {
            _buffers[index] = [];
            _freeOther.Push(index);
        }
    }

    private readonly record struct InFlight(int Link, int Buffer, int Length, long Priority = 0);
}
