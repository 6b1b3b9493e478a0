using System.Net;
using System.Net.Sockets;
using RtcClient.Quic.Connection;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Endpoint;

namespace RtcClient.Quic.Driver;

/// <summary>
/// The UDP driver of one endpoint: one socket (Don't Fragment set: RFC 9000 section 14), one receive thread
/// that drains the socket in batches, one timer for all its connections (their loss, ACK, idle and pacing
/// deadlines), and one lock serialising every call into the sans-IO cores.
/// </summary>
internal sealed class QuicSocketDriver : IDisposable
{
    private const int ReceiveBatch = 64;
    private const int SendBurst = 512;

    private readonly Socket _socket;
    private readonly QuicEndpointCore<DriverConnection> _endpoint;
    private readonly List<DriverConnection> _connections = [];
    private readonly HashSet<DriverConnection> _touched = [];
    private readonly Timer _timer;
    private readonly Thread _receiveThread;
    private readonly byte[] _sendBuffer = new byte[65536];
    private readonly byte[] _responseBuffer = new byte[2048];
    private long _timerDeadline = long.MaxValue;
    private volatile bool _disposed;

    /// <summary>Serialises all access to the cores of this endpoint.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The bound address.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Length of the connection IDs issued here.</summary>
    public const int ConnectionIdLength = 8;

    /// <summary>The endpoint's static stateless reset key: its connections derive their tokens from it (RFC 9000 section 10.3.2).</summary>
    public StatelessResetTokenGenerator ResetTokens { get; } = StatelessResetTokenGenerator.CreateRandom();

    /// <summary>The endpoint's sans-IO core (under <see cref="Gate"/>; for tests and statistics).</summary>
    internal QuicEndpointCore<DriverConnection> Endpoint => _endpoint;

    /// <summary>The socket (for tests that check its options).</summary>
    internal Socket Socket => _socket;

    /// <summary>Binds a UDP socket. <paramref name="accept"/> creates server connections (null: client-only).</summary>
    public QuicSocketDriver(IPEndPoint localEndPoint, Func<QuicSocketDriver, ConnectionId, ConnectionId, (PacketProtection Client, PacketProtection Server), SocketAddress, DriverConnection?>? accept)
    {
        _socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (localEndPoint.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = false;
            _socket.ReceiveBufferSize = 4 * 1024 * 1024;
            _socket.SendBufferSize = 4 * 1024 * 1024;
            PathMtuSocketOptions.SetDontFragment(_socket);
            _socket.Bind(localEndPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        SocketAddress? pendingAddress = null;
        _endpoint = new QuicEndpointCore<DriverConnection>(ConnectionIdLength, SecureRandomSource.Instance,
            accept is null ? null : (dcid, scid, keys) => accept(this, dcid, scid, keys, pendingAddress!), ResetTokens);
        _acceptAddress = a => pendingAddress = a;
        _timer = new Timer(static s => ((QuicSocketDriver)s!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
        _receiveThread = new Thread(ReceiveLoop) { IsBackground = true, Name = "QUIC receive " + LocalEndPoint };
        _receiveThread.Start();
    }

    private readonly Action<SocketAddress> _acceptAddress;

    /// <summary>Adds a connection (call under <see cref="Gate"/>), routes its first connection IDs and sends its first flight.</summary>
    public void Register(DriverConnection connection)
    {
        _connections.Add(connection);
        _endpoint.AddRoute(connection.Core.SourceConnectionId, connection);
        if (!connection.Core.IsClient) _endpoint.AddRoute(connection.Core.OriginalDestinationConnectionId, connection);
    }

    /// <summary>Routes another connection ID (under <see cref="Gate"/>).</summary>
    public void AddRoute(ConnectionId id, DriverConnection connection) => _endpoint.AddRoute(id, connection);

    /// <summary>Stops routing a connection ID (under <see cref="Gate"/>).</summary>
    public void RemoveRoute(ConnectionId id) => _endpoint.RemoveRoute(id);

    /// <summary>Forgets a terminated connection (under <see cref="Gate"/>).</summary>
    public void Unregister(DriverConnection connection)
    {
        _connections.Remove(connection);
        foreach (var id in connection.Core.LocalConnectionIds) _endpoint.RemoveRoute(id);
        _endpoint.RemoveRoute(connection.Core.SourceConnectionId);
        _endpoint.RemoveRoute(connection.Core.OriginalDestinationConnectionId);
    }

    /// <summary>Number of live connections.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (Gate) return _connections.Count;
        }
    }

    /// <summary>Sends what <paramref name="connection"/> has queued and re-arms the timer (under <see cref="Gate"/>).</summary>
    public void Flush(DriverConnection connection)
    {
        if (_disposed) return;
        long now = MonotonicClock.Now;
        for (int i = 0; i < SendBurst; i++)
        {
            int n = connection.Core.WriteDatagram(_sendBuffer, now);
            if (n == 0) break;
            SendTo(_sendBuffer.AsSpan(0, n), connection.RemoteAddress);
        }
        ArmTimer(connection.Core.NextTimeout);
    }

    private void SendTo(ReadOnlySpan<byte> datagram, SocketAddress address)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, address);
        }
        catch (SocketException)
        {
            // A full socket buffer or an unreachable peer: the packet counts as lost; recovery repeats it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[65536];
        var address = new SocketAddress(_socket.AddressFamily);
        while (!_disposed)
        {
            int n;
            try
            {
                n = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (SocketException) when (!_disposed)
            {
                continue; // e.g. ICMP port unreachable reported on the next receive
            }
            catch (Exception) when (_disposed)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            lock (Gate)
            {
                long now = MonotonicClock.Now;
                Handle(buffer.AsSpan(0, n), address, now);
                for (int i = 0; i < ReceiveBatch && !_disposed; i++)
                {
                    int available;
                    try
                    {
                        available = _socket.Available;
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                    if (available <= 0) break;
                    try
                    {
                        n = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
                    }
                    catch (SocketException)
                    {
                        break;
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                    Handle(buffer.AsSpan(0, n), address, now);
                }
                foreach (var c in _touched) Flush(c);
                _touched.Clear();
            }
        }
    }

    private void Handle(Span<byte> datagram, SocketAddress from, long now)
    {
        _acceptAddress(from);
        var connection = _endpoint.Route(datagram, _responseBuffer, out int responseLength, now);
        if (responseLength > 0) SendTo(_responseBuffer.AsSpan(0, responseLength), from);
        if (connection is null) return;
        connection.Core.ReceiveDatagram(datagram, now);
        _touched.Add(connection);
    }

    private void ArmTimer(long deadline)
    {
        if (deadline >= _timerDeadline || _disposed) return;
        _timerDeadline = deadline;
        long delayMs = Math.Max(0, (deadline - MonotonicClock.Now + 999) / 1000);
        try
        {
            _timer.Change(Math.Min(delayMs, int.MaxValue), Timeout.Infinite);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnTimer()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _timerDeadline = long.MaxValue;
            long now = MonotonicClock.Now;
            // Copy: a timeout may terminate (and unregister) a connection.
            var connections = _connections.ToArray();
            long next = long.MaxValue;
            foreach (var c in connections)
            {
                if (c.Core.NextTimeout <= now) c.Core.OnTimeout(now);
                long n = MonotonicClock.Now;
                for (int i = 0; i < SendBurst; i++)
                {
                    int len = c.Core.WriteDatagram(_sendBuffer, n);
                    if (len == 0) break;
                    SendTo(_sendBuffer.AsSpan(0, len), c.RemoteAddress);
                }
                next = Math.Min(next, c.Core.NextTimeout);
            }
            if (next != long.MaxValue) ArmTimer(Math.Max(next, now + 1000)); // never spin on a deadline already due
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _timer.Dispose();
        _socket.Dispose();
        // Connections still in their closing period end with the socket: what they hold outside memory goes now.
        lock (Gate)
        {
            foreach (var connection in _connections)
                connection.Core.CloseTrace();
        }
    }
}
