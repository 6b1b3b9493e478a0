using System.Buffers.Binary;
using RtcClient.Quic.Connection;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Packets;

namespace RtcClient.Quic.Endpoint;

/// <summary>
/// The sans-IO endpoint (RFC 9000 sections 5.2, 6 and 10.3): routes datagrams to connections by Destination
/// Connection ID, creates server connections only for new Initial packets of at least 1200 bytes that
/// decrypt and parse (<see cref="ClientInitialCheck"/>), answers unknown versions with Version Negotiation,
/// and answers short header packets for unknown connection IDs with a rate-limited Stateless Reset, unless
/// they end in the reset token of one of its connections' peers: that is a Stateless Reset for that connection.
/// <typeparamref name="TConnection"/> is whatever the owner attaches to each connection core. Not thread-safe.
/// </summary>
internal sealed class QuicEndpointCore<TConnection> where TConnection : class
{
    /// <summary>Stateless resets that may leave back to back.</summary>
    public const int StatelessResetBurst = 16;

    /// <summary>One more stateless reset may leave per this many microseconds (200 per second).</summary>
    public const long StatelessResetInterval = 5_000;

    // Resets answering larger packets are cut to a random length in [MinResetLength, MinResetLength + 32): they
    // need not be large, and a fixed length would make them easy to tell from other short header packets.
    private const int MinResetLength = 40;

    private static readonly uint[] SupportedVersions = [QuicConnectionCore.Version1];

    private readonly Dictionary<ConnectionId, TConnection> _routes = [];
    // By the peers' stateless reset tokens. The dictionary hashes with the process's random seed, so lookup
    // time tells nothing useful about a token; the connection then compares it in constant time.
    private readonly Dictionary<UInt128, TConnection> _resetTokenRoutes = [];
    private readonly Func<ConnectionId, ConnectionId, (PacketProtection Client, PacketProtection Server), TConnection?>? _acceptServerConnection;
    private readonly IRandomSource _random;
    private readonly StatelessResetTokenGenerator? _resetTokens;
    private readonly byte[] _scratch = new byte[65536];
    private int _resetCredit = StatelessResetBurst;
    private long _resetCreditTime = long.MinValue;

    /// <summary>
    /// Creates an endpoint. <paramref name="acceptServerConnection"/> (server role) receives a new client's
    /// original Destination and Source Connection IDs and the Initial keys that opened its first packet, and
    /// returns the new connection (which then owns the keys), or null to refuse. With
    /// <paramref name="resetTokens"/> (the generator the endpoint's connections use for their tokens), short
    /// header packets for unknown connection IDs are answered with a Stateless Reset.
    /// </summary>
    public QuicEndpointCore(int localConnectionIdLength, IRandomSource random,
        Func<ConnectionId, ConnectionId, (PacketProtection Client, PacketProtection Server), TConnection?>? acceptServerConnection,
        StatelessResetTokenGenerator? resetTokens = null)
    {
        LocalConnectionIdLength = localConnectionIdLength;
        _random = random;
        _acceptServerConnection = acceptServerConnection;
        _resetTokens = resetTokens;
    }

    /// <summary>Length of the connection IDs this endpoint's connections issue.</summary>
    public int LocalConnectionIdLength { get; }

    /// <summary>Connections routed (one entry per connection ID).</summary>
    public int RouteCount => _routes.Count;

    /// <summary>Initials for new connections dropped because they did not decrypt or parse.</summary>
    public long InitialsRejected { get; private set; }

    /// <summary>Stateless resets sent.</summary>
    public long StatelessResetsSent { get; private set; }

    /// <summary>Stateless resets not sent because of the rate limit.</summary>
    public long StatelessResetsSuppressed { get; private set; }

    /// <summary>Routes packets carrying <paramref name="id"/> to <paramref name="connection"/>.</summary>
    public void AddRoute(ConnectionId id, TConnection connection) => _routes[id] = connection;

    /// <summary>Stops routing <paramref name="id"/>.</summary>
    public void RemoveRoute(ConnectionId id) => _routes.Remove(id);

    /// <summary>Routes datagrams ending in the peer's stateless reset <paramref name="token"/> to <paramref name="connection"/> (RFC 9000 section 10.3.1).</summary>
    public void AddResetToken(ReadOnlySpan<byte> token, TConnection connection) => _resetTokenRoutes[TokenKey(token)] = connection;

    /// <summary>Stops routing by <paramref name="token"/>.</summary>
    public void RemoveResetToken(ReadOnlySpan<byte> token) => _resetTokenRoutes.Remove(TokenKey(token));

    private static UInt128 TokenKey(ReadOnlySpan<byte> token) => BinaryPrimitives.ReadUInt128BigEndian(token[^StatelessReset.TokenLength..]);

    /// <summary>
    /// Classifies a datagram received at <paramref name="now"/> (microseconds): returns the connection it
    /// belongs to (creating a server connection for a new, valid Initial), or null when the endpoint handled or
    /// dropped it. When a Version Negotiation or Stateless Reset packet should be sent back, it is written to
    /// <paramref name="response"/> and its length returned in <paramref name="responseLength"/>.
    /// </summary>
    public TConnection? Route(ReadOnlySpan<byte> datagram, Span<byte> response, out int responseLength, long now)
    {
        responseLength = 0;
        if (!PacketHeader.TryParse(datagram, LocalConnectionIdLength, out var header)) return null;
        if (header.DestinationConnectionId.Length > ConnectionId.MaxLength) return null;
        var dcid = new ConnectionId(header.DestinationConnectionId);
        if (_routes.TryGetValue(dcid, out var connection)) return connection;
        if (!header.IsLongHeader)
        {
            // A Stateless Reset carries random bytes where a connection ID would be: find it by its token.
            if (datagram.Length >= StatelessReset.MinLength && _resetTokenRoutes.Count > 0 && _resetTokenRoutes.TryGetValue(TokenKey(datagram), out var reset)) return reset;
            responseLength = WriteStatelessReset(datagram.Length, header.DestinationConnectionId, response, now);
            return null;
        }
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
        if (ClientInitialCheck.TryOpen(header, _scratch) is not { } keys)
        {
            InitialsRejected++;
            return null;
        }
        var created = _acceptServerConnection(dcid, new ConnectionId(header.SourceConnectionId), keys);
        if (created is null)
        {
            keys.Client.Dispose();
            keys.Server.Dispose();
            return null;
        }
        _routes[dcid] = created;
        return created;
    }

    /// <summary>
    /// RFC 9000 section 10.3: a reset for the connection ID of a packet we have no state for. It is shorter than
    /// the packet that triggered it (so two endpoints cannot loop on each other's resets, and it amplifies
    /// nothing), never below the 21-byte minimum, and at most <see cref="StatelessResetBurst"/> at once and
    /// one per <see cref="StatelessResetInterval"/> after that.
    /// </summary>
    private int WriteStatelessReset(int triggeringLength, ReadOnlySpan<byte> connectionId, Span<byte> response, long now)
    {
        if (_resetTokens is null || connectionId.Length != LocalConnectionIdLength || connectionId.IsEmpty) return 0;
        int length = StatelessReset.GetResponseLength(triggeringLength);
        if (length == 0 || response.Length < length) return 0;
        if (!TakeResetCredit(now))
        {
            StatelessResetsSuppressed++;
            return 0;
        }
        Span<byte> random = stackalloc byte[1];
        _random.Fill(random);
        length = Math.Min(length, MinResetLength + random[0] % 32);
        var packet = response[..length];
        _random.Fill(packet);
        Span<byte> token = stackalloc byte[StatelessReset.TokenLength];
        _resetTokens.Compute(connectionId, token);
        StatelessReset.Finish(packet, token);
        StatelessResetsSent++;
        return length;
    }

    private bool TakeResetCredit(long now)
    {
        if (_resetCreditTime == long.MinValue) _resetCreditTime = now;
        long earned = (now - _resetCreditTime) / StatelessResetInterval;
        if (earned > 0)
        {
            _resetCredit = (int)Math.Min(StatelessResetBurst, _resetCredit + earned);
            _resetCreditTime += earned * StatelessResetInterval;
        }
        if (_resetCredit == StatelessResetBurst) _resetCreditTime = now;
        if (_resetCredit == 0) return false;
        _resetCredit--;
        return true;
    }
}
