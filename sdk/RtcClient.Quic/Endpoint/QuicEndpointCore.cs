using RtcClient.Quic.Connection;
using RtcClient.Quic.Packets;

namespace RtcClient.Quic.Endpoint;

/// <summary>
/// The sans-IO endpoint (RFC 9000 sections 5.2 and 6): routes datagrams to connections by Destination
/// Connection ID, creates server connections for new Initial packets of at least 1200 bytes, and answers
/// unknown versions with Version Negotiation. <typeparamref name="TConnection"/> is whatever the owner
/// attaches to each connection core. Not thread-safe.
/// </summary>
internal sealed class QuicEndpointCore<TConnection> where TConnection : class
{
    private static readonly uint[] SupportedVersions = [QuicConnectionCore.Version1];

    private readonly Dictionary<ConnectionId, TConnection> _routes = [];
    private readonly Func<ConnectionId, ConnectionId, TConnection?>? _acceptServerConnection;
    private readonly IRandomSource _random;

    /// <summary>
    /// Creates an endpoint. <paramref name="acceptServerConnection"/> (server role) receives a new client's
    /// original Destination and Source Connection IDs and returns the new connection, or null to refuse.
    /// </summary>
    public QuicEndpointCore(int localConnectionIdLength, IRandomSource random, Func<ConnectionId, ConnectionId, TConnection?>? acceptServerConnection)
    {
        LocalConnectionIdLength = localConnectionIdLength;
        _random = random;
        _acceptServerConnection = acceptServerConnection;
    }

    /// <summary>Length of the connection IDs this endpoint's connections issue.</summary>
    public int LocalConnectionIdLength { get; }

    /// <summary>Connections routed (one entry per connection ID).</summary>
    public int RouteCount => _routes.Count;

    /// <summary>Routes packets carrying <paramref name="id"/> to <paramref name="connection"/>.</summary>
    public void AddRoute(ConnectionId id, TConnection connection) => _routes[id] = connection;

    /// <summary>Stops routing <paramref name="id"/>.</summary>
    public void RemoveRoute(ConnectionId id) => _routes.Remove(id);

    /// <summary>
    /// Classifies a received datagram: returns the connection it belongs to (creating a server connection
    /// for a new Initial), or null when the endpoint handled or dropped it. When a Version Negotiation
    /// packet should be sent, it is written to <paramref name="response"/> and its length returned in
    /// <paramref name="responseLength"/>.
    /// </summary>
    public TConnection? Route(ReadOnlySpan<byte> datagram, Span<byte> response, out int responseLength)
    {
        responseLength = 0;
        if (!PacketHeader.TryParse(datagram, LocalConnectionIdLength, out var header)) return null;
        if (header.DestinationConnectionId.Length > ConnectionId.MaxLength) return null;
        var dcid = new ConnectionId(header.DestinationConnectionId);
        if (_routes.TryGetValue(dcid, out var connection)) return connection;
        if (!header.IsLongHeader) return null; // unknown short header: dropped (stateless reset not sent yet)
        if (header.Type == PacketType.UnsupportedVersion)
        {
            if (_acceptServerConnection is not null && VersionNegotiation.ShouldSend(header, datagram.Length))
            {
                Span<byte> bits = stackalloc byte[1];
                _random.Fill(bits);
                responseLength = VersionNegotiation.Write(response, header.SourceConnectionId, header.DestinationConnectionId, SupportedVersions, bits[0]);
            }
            return null;
        }
        // RFC 9000 section 14.1: a server accepts only Initial packets in datagrams of at least 1200 bytes.
        if (_acceptServerConnection is null || header.Type != PacketType.Initial || datagram.Length < 1200) return null;
        if (header.DestinationConnectionId.Length < 8 || header.SourceConnectionId.Length > ConnectionId.MaxLength) return null;
        var created = _acceptServerConnection(dcid, new ConnectionId(header.SourceConnectionId));
        if (created is not null) _routes[dcid] = created;
        return created;
    }
}
