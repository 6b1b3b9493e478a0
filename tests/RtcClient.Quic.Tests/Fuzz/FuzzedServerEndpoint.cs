using RtcClient.Quic.Connection;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Endpoint;
using RtcClient.Quic.Tests.Simulation;

namespace RtcClient.Quic.Tests.Fuzz;

/// <summary>
/// A server endpoint with no sockets: datagrams in, responses drained and discarded, virtual time.
/// Like the driver, it caps live connections and forgets closed ones.
/// </summary>
internal sealed class FuzzedServerEndpoint
{
    private readonly ConnectionSettings _settings;
    private readonly IRandomSource _random;
    private readonly List<QuicConnectionCore> _connections = [];
    private readonly byte[] _response = new byte[1500];
    private readonly byte[] _send = new byte[65536];

    public FuzzedServerEndpoint(ConnectionSettings settings, int seed, int maxConnections)
    {
        var resetTokens = new StatelessResetTokenGenerator(new byte[32]);
        _settings = settings with { StatelessResetTokens = resetTokens };
        _random = new SeededRandomSource(seed);
        MaxConnections = maxConnections;
        Endpoint = new QuicEndpointCore<QuicConnectionCore>(8, _random, Accept, resetTokens);
    }

    public QuicEndpointCore<QuicConnectionCore> Endpoint { get; }
    public int MaxConnections { get; }
    public long Now { get; set; } = 1_000_000;
    public int LiveConnections => _connections.Count;
    public int ConnectionsCreated { get; private set; }
    public int ConnectionsRefused { get; private set; }
    public long DatagramsSent { get; private set; }
    /// <summary>Version Negotiation and Stateless Reset packets the endpoint itself answered with.</summary>
    public long ResponsesSent { get; private set; }

    public IReadOnlyList<QuicConnectionCore> Connections => _connections;

    /// <summary>Reasons of connections this endpoint closed with INTERNAL_ERROR (a bug, not a peer error).</summary>
    public List<string> InternalErrors { get; } = [];

    private QuicConnectionCore? Accept(ConnectionId originalDestination, ConnectionId clientSource, (PacketProtection Client, PacketProtection Server) initialKeys)
    {
        if (_connections.Count >= MaxConnections)
        {
            ConnectionsRefused++;
            return null;
        }
        var core = QuicConnectionCore.CreateServer(_settings, _random, Now, originalDestination, clientSource, initialKeys);
        _connections.Add(core);
        Endpoint.AddRoute(core.SourceConnectionId, core);
        ConnectionsCreated++;
        return core;
    }

    /// <summary>Routes one datagram, lets its connection react, and drains what it wants to send.</summary>
    public void Receive(Span<byte> datagram)
    {
        var core = Endpoint.Route(datagram, _response, out int responseLength, Now);
        if (responseLength > 0) ResponsesSent++;
        if (core is null) return;
        bool wasOpen = core.State == ConnectionState.Open;
        core.ReceiveDatagram(datagram, Now);
        Drain(core);
        if (wasOpen && core.CloseInfo is { ByPeer: false, IsApplication: false } info && info.ErrorCode == (long)RtcClient.Quic.Wire.TransportErrorCode.InternalError)
            InternalErrors.Add(info.Reason);
    }

    /// <summary>Advances virtual time, fires due timers and removes terminated connections.</summary>
    public void Advance(long microseconds)
    {
        Now += microseconds;
        for (int i = _connections.Count - 1; i >= 0; i--)
        {
            var core = _connections[i];
            if (core.NextTimeout <= Now) core.OnTimeout(Now);
            Drain(core);
            if (core.State == ConnectionState.Closed)
            {
                foreach (var id in core.LocalConnectionIds) Endpoint.RemoveRoute(id);
                Endpoint.RemoveRoute(core.SourceConnectionId);
                Endpoint.RemoveRoute(core.OriginalDestinationConnectionId);
                _connections.RemoveAt(i);
            }
        }
    }

    private void Drain(QuicConnectionCore core)
    {
        for (int i = 0; i < 64; i++)
        {
            if (core.WriteDatagram(_send, Now) == 0) return;
            DatagramsSent++;
        }
    }
}
