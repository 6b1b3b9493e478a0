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
    private readonly IMediaClock _clock;
    // Priority: due time (100 ns ticks) in the high bits, a send counter in the low 20 bits so equal
    // due times keep their send order (a plain long compares much faster than a tuple).
    private readonly PriorityQueue<InFlight, long> _queue = new();
    private readonly Stack<byte[]> _buffers = new();
    private const int BufferSize = 1500;
    private const int OrderBits = 20;
    private const long OrderMask = (1L << OrderBits) - 1;

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
        return new SimulatedDatagramLink(this, receiver, conditions ?? LinkConditions.Perfect);
    }

    internal void Schedule(SimulatedDatagramLink link, ReadOnlySpan<byte> datagram, TimeSpan delay)
    {
        lock (_gate)
        {
            // Own pool: thousands of datagrams in flight would overflow the shared pool's small per-core caches.
            byte[] buffer = datagram.Length <= BufferSize && _buffers.TryPop(out var pooled) ? pooled : new byte[Math.Max(BufferSize, datagram.Length)];
            datagram.CopyTo(buffer);
            long due = (_clock.Now + delay).Ticks;
            _queue.Enqueue(new InFlight(link, buffer, datagram.Length), (due << OrderBits) | (_order++ & OrderMask));
        }
    }

    /// <summary>Delivers every datagram due by <paramref name="now"/>, in arrival order.</summary>
    public void OnTick(TimeSpan now)
    {
        while (true)
        {
            InFlight item;
            long due;
            lock (_gate)
            {
                if (!_queue.TryPeek(out item, out long priority) || priority >> OrderBits > now.Ticks)
                    return;
                _queue.Dequeue();
                due = priority >> OrderBits;
            }
            try
            {
                item.Link.Delivered++;
                item.Link.Receiver.OnDatagram(item.Buffer.AsSpan(0, item.Length), TimeSpan.FromTicks(due));
            }
            finally
            {
                if (item.Buffer.Length == BufferSize)
                {
                    lock (_gate)
                        _buffers.Push(item.Buffer);
                }
            }
        }
    }

    private readonly record struct InFlight(SimulatedDatagramLink Link, byte[] Buffer, int Length);
}
