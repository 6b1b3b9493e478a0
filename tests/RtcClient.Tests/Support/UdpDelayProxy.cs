using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RtcClient.Testing;

/// <summary>
/// A loopback UDP relay that simulates a network path: every datagram is held for a fixed one-way
/// delay in each direction (plus optional random loss) before it is forwarded. Each client address
/// gets its own upstream socket, so the server sees one address per client as on a real network.
/// Leaves the system's network settings alone (no qdisc): the delay lives in this process.
/// </summary>
public sealed class UdpDelayProxy : IDisposable
{
    private const int MaxDatagram = 65_535;
    private readonly Socket _front;
    private readonly IPEndPoint _upstream;
    private readonly UdpDelayProxyOptions _options;
    private readonly long _delayTicks;
    private readonly ConcurrentDictionary<IPEndPoint, Socket> _sessions = new();
    // Due time, then arrival order: with a constant delay this is FIFO; the queue keeps it correct with jitter too.
    private readonly PriorityQueue<Pending, (long Due, long Order)> _queue = new();
    private readonly object _gate = new();
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _scheduler;
    private readonly List<Task> _receivers = [];
    private long _order, _forwarded, _lost, _overflowed;
    private bool _disposed;

    private readonly record struct Pending(byte[] Buffer, int Length, Socket Via, EndPoint? To, long Due);

    /// <summary>Starts a proxy on 127.0.0.1 (an ephemeral port) in front of <paramref name="upstream"/>.</summary>
    public UdpDelayProxy(IPEndPoint upstream, UdpDelayProxyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        _upstream = upstream;
        _options = options ?? new UdpDelayProxyOptions();
        if (_options.LossRate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "loss rate must be within [0, 1]");
        _delayTicks = (long)(_options.OneWayDelay.TotalSeconds * Stopwatch.Frequency);
        _random = new Random(_options.Seed);
        _front = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_front.LocalEndPoint!;
        _scheduler = new Thread(Schedule) { IsBackground = true, Name = "udp-delay-proxy", Priority = ThreadPriority.AboveNormal };
        _scheduler.Start();
        lock (_gate) _receivers.Add(Task.Run(ReceiveFromClientsAsync));
    }

    /// <summary>Where clients send (127.0.0.1 and the proxy's port).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Datagrams forwarded after their delay.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Datagrams dropped by the simulated loss.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Datagrams dropped because the queue was full (bounded memory).</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);

    /// <summary>The one-way delay applied in each direction.</summary>
    public TimeSpan OneWayDelay => _options.OneWayDelay;

    private async Task ReceiveFromClientsAsync()
    {
        var buffer = new byte[MaxDatagram];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try { r = await _front.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // ICMP port unreachable from a client that went away
            var client = (IPEndPoint)r.RemoteEndPoint;
            // Only this loop adds sessions, so look-up then add cannot race.
            if (!_sessions.TryGetValue(client, out var via))
            {
                if (_sessions.Count >= _options.MaxClients) continue;
                via = OpenSession(client);
                _sessions[client] = via;
            }
            Enqueue(buffer.AsSpan(0, r.ReceivedBytes), via, null);
        }
    }

    private Socket OpenSession(IPEndPoint client)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(_upstream);
        lock (_gate) _receivers.Add(Task.Run(() => ReceiveFromServerAsync(socket, client)));
        return socket;
    }

    private async Task ReceiveFromServerAsync(Socket socket, IPEndPoint client)
    {
        var buffer = new byte[MaxDatagram];
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try { n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            Enqueue(buffer.AsSpan(0, n), _front, client);
        }
    }

    private void Enqueue(ReadOnlySpan<byte> datagram, Socket via, EndPoint? to)
    {
        long due = Stopwatch.GetTimestamp() + _delayTicks;
        lock (_gate)
        {
            if (_disposed) return;
            if (_options.LossRate > 0 && _random.NextDouble() < _options.LossRate)
            {
                _lost++;
                return;
            }
            if (_queue.Count >= _options.MaxQueuedDatagrams)
            {
                _overflowed++;
                return;
            }
            var copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
            datagram.CopyTo(copy);
            bool wake = _queue.Count == 0 || due < _queue.Peek().Due;
            _queue.Enqueue(new Pending(copy, datagram.Length, via, to, due), (due, _order++));
            if (wake) Monitor.Pulse(_gate);
        }
    }

    private void Schedule()
    {
        var ready = new List<Pending>();
        while (true)
        {
            lock (_gate)
            {
                while (!_disposed)
                {
                    long now = Stopwatch.GetTimestamp();
                    while (_queue.Count > 0 && _queue.Peek().Due <= now) ready.Add(_queue.Dequeue());
                    if (ready.Count > 0) break;
                    if (_queue.Count == 0) Monitor.Wait(_gate);
                    else
                    {
                        // Sleep to the next due time (the OS timer is ~1 ms coarse; round up, never early).
                        long wait = _queue.Peek().Due - now;
                        Monitor.Wait(_gate, TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency))));
                    }
                }
                if (_disposed && ready.Count == 0) return;
            }
            foreach (var p in ready)
            {
                try
                {
                    if (p.To is null) p.Via.Send(p.Buffer.AsSpan(0, p.Length));
                    else p.Via.SendTo(p.Buffer.AsSpan(0, p.Length), SocketFlags.None, p.To);
                    Interlocked.Increment(ref _forwarded);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
                ArrayPool<byte>.Shared.Return(p.Buffer);
            }
            ready.Clear();
        }
    }

    /// <summary>Stops forwarding, closes every socket and releases queued datagrams.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        _stop.Cancel();
        _scheduler.Join(TimeSpan.FromSeconds(5));
        _front.Dispose();
        foreach (var s in _sessions.Values) s.Dispose();
        Task[] receivers;
        lock (_gate) receivers = [.. _receivers];
        Task.WaitAll(receivers, TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            while (_queue.TryDequeue(out var p, out _)) ArrayPool<byte>.Shared.Return(p.Buffer);
        }
        _stop.Dispose();
    }
}
