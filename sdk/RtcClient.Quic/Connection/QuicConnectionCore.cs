using RtcClient.Quic.Crypto;
using RtcClient.Quic.Recovery;
using RtcClient.Quic.Tls;
using RtcClient.Quic.Wire;

namespace RtcClient.Quic.Connection;

/// <summary>
/// The sans-IO QUIC v1 connection state machine (RFC 9000, 9001, 9002, 9221) for either role:
/// datagrams and the current time go in (<see cref="ReceiveDatagram"/>, <see cref="OnTimeout"/>);
/// datagrams (<see cref="WriteDatagram"/>), the next timer deadline (<see cref="NextTimeout"/>) and
/// events (<see cref="IConnectionEvents"/>) come out. Times are microseconds on the caller's clock.
/// Not thread-safe: the owner serialises calls. Peer misbehaviour never escapes as an exception: it
/// closes the connection with the RFC's error code.
/// </summary>
internal sealed partial class QuicConnectionCore : ITlsHandshakeHost, ILossDetectionHandler
{
    /// <summary>QUIC version 1.</summary>
    public const uint Version1 = 1;

    private readonly ConnectionSettings _settings;
    private readonly IRandomSource _random;
    private readonly TransportParameters _localParameters;
    private readonly TlsHandshake _tls;
    private readonly PacketNumberSpace[] _spaces =
    [
        new(EncryptionLevel.Initial), new(EncryptionLevel.Handshake), new(EncryptionLevel.Application),
    ];

    private IConnectionEvents _events = NullEvents.Instance;
    private TransportParameters? _peerParameters;
    private bool _handshakeComplete;
    private bool _handshakeConfirmed;
    private bool _handshakeDonePending;
    private readonly long _createdAt;

    /// <summary>Creates a client connection; the ClientHello is queued at once.</summary>
    public static QuicConnectionCore CreateClient(ConnectionSettings settings, IRandomSource random, long now)
    {
        var odcid = ConnectionId.Random(random, 8);
        return new QuicConnectionCore(settings, random, now, odcid, default, isClient: true);
    }

    /// <summary>
    /// Creates a server connection for a client's first Initial with destination <paramref name="originalDestination"/>
    /// and source <paramref name="clientSource"/>.
    /// </summary>
    /// <param name="settings">Local settings.</param>
    /// <param name="random">Randomness for connection IDs and TLS.</param>
    /// <param name="now">Current time, microseconds.</param>
    /// <param name="originalDestination">The client's first Destination Connection ID.</param>
    /// <param name="clientSource">The client's Source Connection ID.</param>
    /// <param name="initialKeys">The Initial keys the endpoint already derived from <paramref name="originalDestination"/> to check the Initial; owned by the connection from now.</param>
    public static QuicConnectionCore CreateServer(ConnectionSettings settings, IRandomSource random, long now, ConnectionId originalDestination, ConnectionId clientSource,
        (PacketProtection Client, PacketProtection Server)? initialKeys = null)
        => new(settings, random, now, originalDestination, clientSource, isClient: false, initialKeys);

    private QuicConnectionCore(ConnectionSettings settings, IRandomSource random, long now, ConnectionId originalDestination, ConnectionId clientSource, bool isClient,
        (PacketProtection Client, PacketProtection Server)? initialKeys = null)
    {
        _settings = settings;
        _random = random;
        IsClient = isClient;
        _createdAt = now;
        _lastActivity = now;
        OriginalDestinationConnectionId = originalDestination;
        _qlog = QlogWriter.Open(settings.QlogDirectory, originalDestination, isClient, now);
        SourceConnectionId = ConnectionId.Random(random, settings.LocalConnectionIdLength);
        _localCids.Add(new LocalConnectionId(0, SourceConnectionId, NewResetToken(SourceConnectionId)));

        var (clientKeys, serverKeys) = initialKeys ?? PacketProtection.CreateInitial(originalDestination.Span);
        var initial = _spaces[0];
        initial.WriteKeys = isClient ? clientKeys : serverKeys;
        initial.ReadKeys = isClient ? serverKeys : clientKeys;

        if (isClient)
        {
            // Until the server answers, packets go to the random ID that also derived the Initial keys.
            _peerCids.Add(new PeerConnectionId(0, originalDestination, null));
        }
        else
        {
            _peerCids.Add(new PeerConnectionId(0, clientSource, null));
            _peerCidChosen = true;
        }

        _localParameters = new TransportParameters
        {
            MaxIdleTimeout = (long)settings.IdleTimeout.TotalMilliseconds,
            MaxUdpPayloadSize = 65527,
            InitialMaxData = settings.InitialMaxData,
            InitialMaxStreamDataBidiLocal = settings.InitialMaxStreamData,
            InitialMaxStreamDataBidiRemote = settings.InitialMaxStreamData,
            InitialMaxStreamDataUni = settings.InitialMaxStreamData,
            InitialMaxStreamsBidi = settings.MaxInboundBidirectionalStreams,
            InitialMaxStreamsUni = settings.MaxInboundUnidirectionalStreams,
            MaxAckDelay = settings.MaxAckDelayMs,
            ActiveConnectionIdLimit = settings.ActiveConnectionIdLimit,
            InitialSourceConnectionId = SourceConnectionId.Span.ToArray(),
            MaxDatagramFrameSize = settings.MaxDatagramFrameSize > 0 ? settings.MaxDatagramFrameSize : null,
        };
        if (!isClient)
        {
            _localParameters.OriginalDestinationConnectionId = originalDestination.Span.ToArray();
            _localParameters.StatelessResetToken = _localCids[0].ResetToken;
        }
        _receiveMaxData = settings.InitialMaxData;
        _maxStreamsBidiLocalLimit = settings.MaxInboundBidirectionalStreams;
        _maxStreamsUniLocalLimit = settings.MaxInboundUnidirectionalStreams;

        byte[] tp = _localParameters.Encode();
        _tls = isClient
            ? TlsHandshake.CreateClient(settings.ClientTls!, tp, this)
            : TlsHandshake.CreateServer(settings.ServerTls!, tp, this);
        // Datagrams start at BASE_PLPMTU; path MTU discovery raises the size (and so the window's unit).
        _loss = new LossDetector(!isClient, new NewReno(PathMtuDiscovery.BasePlpmtu), this);
        _pacer = new Pacer(PathMtuDiscovery.BasePlpmtu) { BurstInterval = (long)settings.PacingBurstInterval.TotalMicroseconds };
        if (isClient) _tls.Start();
    }

    /// <summary>True for the client role.</summary>
    public bool IsClient { get; }

    /// <summary>The client's first Destination Connection ID (which derived the Initial keys).</summary>
    public ConnectionId OriginalDestinationConnectionId { get; }

    /// <summary>Our first Source Connection ID.</summary>
    public ConnectionId SourceConnectionId { get; }

    /// <summary>Where events go; set before the first input.</summary>
    public IConnectionEvents Events
    {
        get => _events;
        set => _events = value;
    }

    /// <summary>True once the TLS handshake completed on this side.</summary>
    public bool IsHandshakeComplete => _handshakeComplete;

    /// <summary>True once the handshake is confirmed (RFC 9001 section 4.1.2).</summary>
    public bool IsHandshakeConfirmed => _handshakeConfirmed;

    /// <summary>The negotiated ALPN protocol.</summary>
    public string? NegotiatedApplicationProtocol => _tls.NegotiatedApplicationProtocol;

    /// <summary>The peer's certificate.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? PeerCertificate => _tls.PeerCertificate;

    /// <summary>The peer's transport parameters, once received.</summary>
    public TransportParameters? PeerParameters => _peerParameters;

    /// <summary>The current key phase bit of packets we send (flips on each key update).</summary>
    public int KeyPhase => _writePhase;

    /// <summary>Key updates completed (initiated by either side).</summary>
    public int KeyUpdates { get; private set; }

    // ---- ITlsHandshakeHost ----

    void ITlsHandshakeHost.WriteCryptoData(EncryptionLevel level, ReadOnlySpan<byte> data)
    {
        var space = SpaceFor(level);
        if (space.CryptoSend.Write(data) != data.Length)
            throw new QuicProtocolException(TransportErrorCode.InternalError, "handshake output too large");
    }

    void ITlsHandshakeHost.SetReadSecret(EncryptionLevel level, TlsCipherSuite suite, ReadOnlySpan<byte> secret)
    {
        if (level == EncryptionLevel.EarlyData) return;
        SetAeadLimits(suite);
        var keys = PacketProtection.Create(suite, secret);
        var space = SpaceFor(level);
        space.ReadKeys?.Dispose();
        space.ReadKeys = keys;
        if (level == EncryptionLevel.Application) _readNext = keys.NextKeyPhase();
    }

    void ITlsHandshakeHost.SetWriteSecret(EncryptionLevel level, TlsCipherSuite suite, ReadOnlySpan<byte> secret)
    {
        if (level == EncryptionLevel.EarlyData) return;
        SetAeadLimits(suite);
        var space = SpaceFor(level);
        space.WriteKeys?.Dispose();
        space.WriteKeys = PacketProtection.Create(suite, secret);
    }

    private PacketNumberSpace SpaceFor(EncryptionLevel level) => level switch
    {
        EncryptionLevel.Initial => _spaces[0],
        EncryptionLevel.Handshake => _spaces[1],
        _ => _spaces[2],
    };

    /// <summary>
    /// The stateless reset token of a connection ID we issue: derived from the endpoint's static key when it
    /// has one (so the endpoint can reset the connection after losing its state, RFC 9000 section 10.3.2), else random.
    /// </summary>
    private byte[] NewResetToken(ConnectionId id)
    {
        var token = new byte[Packets.StatelessReset.TokenLength];
        if (_settings.StatelessResetTokens is { } tokens) tokens.Compute(id.Span, token);
        else _random.Fill(token);
        return token;
    }

    /// <summary>Feeds in-order CRYPTO bytes to TLS and reacts to what it produced.</summary>
    private void DeliverCryptoData(PacketNumberSpace space)
    {
        Span<byte> chunk = stackalloc byte[2048];
        while (space.CryptoReceive.ReadableBytes > 0)
        {
            int n = space.CryptoReceive.Read(chunk);
            _tls.ProcessCryptoData(space.Level, chunk[..n]);
        }
        if (_peerParameters is null && !_tls.PeerTransportParameters.IsEmpty) ApplyPeerParameters();
        if (!_handshakeComplete && _tls.IsHandshakeComplete) OnHandshakeComplete();
    }

    private void OnHandshakeComplete()
    {
        if (_peerParameters is null) throw new QuicProtocolException(TransportErrorCode.TransportParameterError, "peer sent no transport parameters");
        _handshakeComplete = true;
        if (!IsClient)
        {
            // RFC 9001 section 4.1.2: the server's handshake is confirmed when it completes.
            _handshakeDonePending = true;
            ConfirmHandshake();
        }
        IssueConnectionIds();
        _events.OnHandshakeCompleted();
    }

    private void ConfirmHandshake()
    {
        if (_handshakeConfirmed) return;
        _handshakeConfirmed = true;
        _loss.HandshakeConfirmed = true;
        DiscardSpace(_spaces[1]);
    }

    private void ApplyPeerParameters()
    {
        var p = TransportParameters.Decode(_tls.PeerTransportParameters.Span, fromServer: IsClient);
        // RFC 9000 section 7.3: authenticate the connection IDs used during the handshake.
        if (!p.InitialSourceConnectionId.AsSpan().SequenceEqual(_peerCids[0].Id.Span))
            throw new QuicProtocolException(TransportErrorCode.TransportParameterError, "initial_source_connection_id does not match the packets");
        if (IsClient)
        {
            if (!p.OriginalDestinationConnectionId.AsSpan().SequenceEqual(OriginalDestinationConnectionId.Span))
                throw new QuicProtocolException(TransportErrorCode.TransportParameterError, "original_destination_connection_id does not match");
            if (p.RetrySourceConnectionId is not null)
                throw new QuicProtocolException(TransportErrorCode.TransportParameterError, "retry_source_connection_id without a Retry");
            if (p.StatelessResetToken is { } token) _peerCids[0] = _peerCids[0] with { ResetToken = token };
            AnnouncePeerResetToken();
        }
        _peerParameters = p;
        _sendMaxData = p.InitialMaxData;
        _peerMaxStreamsBidi = p.InitialMaxStreamsBidi;
        _peerMaxStreamsUni = p.InitialMaxStreamsUni;
        _loss.MaxAckDelay = p.MaxAckDelay * 1000;
        _pathMtu.SetMaxPlpmtu((int)Math.Min(_settings.MaxDatagramSize, p.MaxUdpPayloadSize));
        foreach (var stream in _streams.Values) InitialiseSendLimit(stream);
    }

    private void DiscardSpace(PacketNumberSpace space)
    {
        if (space.Discarded) return;
        space.Discarded = true;
        _loss.DiscardSpace(space.Level, _lastEventTime);
        space.ProbesPending = 0;
        space.ReadKeys?.Dispose();
        space.WriteKeys?.Dispose();
        space.ReadKeys = null;
        space.WriteKeys = null;
    }

    private sealed class NullEvents : IConnectionEvents
    {
        public static readonly NullEvents Instance = new();
        public void OnHandshakeCompleted() { }
        public void OnStreamOpened(long streamId) { }
        public void OnStreamReadable(long streamId) { }
        public void OnStreamWritable(long streamId) { }
        public void OnStreamsAvailable() { }
        public void OnDatagramReceived(ReadOnlySpan<byte> payload) { }
        public void OnConnectionIdIssued(ConnectionId connectionId, ReadOnlySpan<byte> statelessResetToken) { }
        public void OnConnectionIdRetired(ConnectionId connectionId) { }
        public void OnPeerResetTokenChanged(byte[]? previous, byte[]? current) { }
        public void OnClosing(ConnectionCloseInfo info) { }
        public void OnTerminated() { }
    }
}
