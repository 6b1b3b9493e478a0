using RtcClient.Quic.Tls;

namespace RtcClient.Quic.Connection;

/// <summary>Everything a connection core needs to know about its local side.</summary>
internal sealed record ConnectionSettings
{
    /// <summary>TLS options of a client (exactly one of the two is set).</summary>
    public TlsClientOptions? ClientTls { get; init; }
    /// <summary>TLS options of a server.</summary>
    public TlsServerOptions? ServerTls { get; init; }
    /// <summary>max_idle_timeout; zero disables.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>initial_max_data.</summary>
    public long InitialMaxData { get; init; } = 16 * 1024 * 1024;
    /// <summary>initial_max_stream_data_* (all three).</summary>
    public long InitialMaxStreamData { get; init; } = 2 * 1024 * 1024;
    /// <summary>initial_max_streams_bidi.</summary>
    public long MaxInboundBidirectionalStreams { get; init; } = 100;
    /// <summary>initial_max_streams_uni.</summary>
    public long MaxInboundUnidirectionalStreams { get; init; } = 100;
    /// <summary>max_datagram_frame_size; zero disables DATAGRAM.</summary>
    public int MaxDatagramFrameSize { get; init; } = 65535;
    /// <summary>active_connection_id_limit we announce (and how many IDs we issue at most).</summary>
    public int ActiveConnectionIdLimit { get; init; } = 4;
    /// <summary>max_ack_delay in milliseconds.</summary>
    public int MaxAckDelayMs { get; init; } = 25;
    /// <summary>
    /// Largest UDP payload we ever send (RFC 9000 section 14: at least 1200): MAX_PLPMTU of path MTU discovery,
    /// which starts at 1200 and probes up to this (and the peer's max_udp_payload_size); 1200 disables probing.
    /// </summary>
    public int MaxDatagramSize { get; init; } = 1200;
    /// <summary>
    /// The pacer's bucket holds at least this long's worth of sending at the pacing rate: the owner's timer
    /// granularity, so pacing never needs a wake-up finer than its timer (RFC 9002 section 7.7).
    /// </summary>
    public TimeSpan PacingBurstInterval { get; init; } = TimeSpan.FromMilliseconds(2);
    /// <summary>Derives the stateless reset tokens of the connection IDs we issue; null: random tokens.</summary>
    public Endpoint.StatelessResetTokenGenerator? StatelessResetTokens { get; init; }
    /// <summary>Packets one 1-RTT key may protect; null: the AEAD's limit (RFC 9001 section 6.6). Tests inject small values.</summary>
    public long? AeadConfidentialityLimit { get; init; }
    /// <summary>Packets that may fail authentication over the connection; null: the AEAD's limit (RFC 9001 section 6.6).</summary>
    public long? AeadIntegrityLimit { get; init; }
    /// <summary>Unacknowledged bytes buffered per stream before writes wait.</summary>
    public int StreamSendBufferSize { get; init; } = 1024 * 1024;
    /// <summary>Outgoing datagrams queued before new ones are refused.</summary>
    public int DatagramSendQueueLength { get; init; } = 1024;
    /// <summary>Length of the connection IDs we issue.</summary>
    public int LocalConnectionIdLength { get; init; } = 8;
    /// <summary>How long the handshake may take; zero: no limit beyond the idle timeout.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Directory of qlog traces (QlogWriter); null or empty: no trace.</summary>
    public string? QlogDirectory { get; init; }

    /// <summary>True for a client.</summary>
    public bool IsClient => ClientTls is not null;
}
