using System.Net;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic.Connection;
using RtcClient.Quic.Driver;
using RtcClient.Quic.Tls;

namespace RtcClient.Quic;

/// <summary>
/// A QUIC connection, shaped like System.Net.Quic.QuicConnection, plus RFC 9221 datagrams and statistics.
/// </summary>
public sealed class QuicConnection : IAsyncDisposable
{
    private readonly DriverConnection _connection;
    private int _disposed;

    internal QuicConnection(DriverConnection connection, string? targetHostName)
    {
        _connection = connection;
        TargetHostName = targetHostName;
        connection.Connection = this;
    }

    /// <summary>Connects and completes the handshake.</summary>
    public static async ValueTask<QuicConnection> ConnectAsync(QuicClientConnectionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = options.LocalEndPoint ?? new IPEndPoint(options.RemoteEndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var driver = new QuicSocketDriver(local, accept: null);
        DriverConnection connection;
        try
        {
            var settings = CreateSettings(options, new TlsClientOptions
            {
                ServerName = options.ServerName,
                ApplicationProtocols = options.ApplicationProtocols,
                PinnedCertificateSha256 = options.PinnedCertificateSha256,
                CertificateValidator = options.CertificateValidator,
                KeyLog = KeyLogFile.Open(options.KeyLogPath),
                CipherSuites = options.CipherSuites ?? TlsClientOptions.DefaultCipherSuites,
            }, null, options.HandshakeTimeout) with { MaxDatagramSize = DatagramSizeFor(options.RemoteEndPoint), StatelessResetTokens = driver.ResetTokens };
            lock (driver.Gate)
            {
                var core = QuicConnectionCore.CreateClient(settings, SecureRandomSource.Instance, MonotonicClock.Now);
                connection = new DriverConnection(driver, core, options.RemoteEndPoint, options, ownsDriver: true);
                driver.Register(connection);
                driver.Flush(connection);
            }
        }
        catch
        {
            driver.Dispose();
            throw;
        }
        var result = new QuicConnection(connection, options.ServerName);
        try
        {
            await connection.Handshake.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (QuicException)
        {
            await result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return result;
    }

    internal static ConnectionSettings CreateSettings(QuicConnectionOptions options, TlsClientOptions? client, TlsServerOptions? server, TimeSpan handshakeTimeout) => new()
    {
        ClientTls = client,
        ServerTls = server,
        IdleTimeout = options.IdleTimeout,
        InitialMaxData = options.InitialMaxData,
        InitialMaxStreamData = options.InitialMaxStreamData,
        MaxInboundBidirectionalStreams = options.MaxInboundBidirectionalStreams,
        MaxInboundUnidirectionalStreams = options.MaxInboundUnidirectionalStreams,
        MaxDatagramFrameSize = options.MaxDatagramFrameSize,
        HandshakeTimeout = handshakeTimeout,
        LocalConnectionIdLength = QuicSocketDriver.ConnectionIdLength,
        QlogDirectory = options.QlogDirectory,
    };

    /// <summary>
    /// The largest UDP payload path MTU discovery may try towards <paramref name="remote"/> (MAX_PLPMTU; the
    /// peer's max_udp_payload_size also caps it). Datagrams start at 1200 bytes and grow only as probes are
    /// acknowledged (RFC 9000 section 14.3). Loopback carries large datagrams; elsewhere an Ethernet MTU of
    /// 1500 minus the IP and UDP headers.
    /// </summary>
    internal static int DatagramSizeFor(IPEndPoint remote)
        => IPAddress.IsLoopback(remote.Address) ? LoopbackDatagramSize
            : remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? EthernetMtu - 40 - 8 : EthernetMtu - 20 - 8;

    private const int LoopbackDatagramSize = 8192;
    private const int EthernetMtu = 1500;

    internal DriverConnection Driver => _connection;

    /// <summary>The peer's address.</summary>
    public IPEndPoint RemoteEndPoint => _connection.RemoteEndPoint;

    /// <summary>Our address.</summary>
    public IPEndPoint LocalEndPoint => _connection.Driver.LocalEndPoint;

    /// <summary>The ALPN protocol agreed in the handshake.</summary>
    public string NegotiatedApplicationProtocol => _connection.Core.NegotiatedApplicationProtocol ?? "";

    /// <summary>The server's name (SNI) as sent by the client.</summary>
    public string? TargetHostName { get; }

    /// <summary>The peer's certificate (the server's, on a client).</summary>
    public X509Certificate2? RemoteCertificate => _connection.Core.PeerCertificate;

    /// <summary>Opens a stream, waiting for the peer's MAX_STREAMS when the limit is reached.</summary>
    public async ValueTask<QuicStream> OpenOutboundStreamAsync(QuicStreamType type, CancellationToken cancellationToken = default)
    {
        bool bidi = type == QuicStreamType.Bidirectional;
        while (true)
        {
            QuicStream? stream = null;
            lock (_connection.Driver.Gate)
            {
                if (_connection.CloseError is { } error) throw error;
                long id = _connection.Core.OpenStream(bidi);
                if (id >= 0)
                {
                    stream = new QuicStream(_connection, id);
                    _connection.AddStream(stream);
                }
            }
            if (stream is not null) return stream;
            try
            {
                await _connection.StreamsAvailable.WaitAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                throw new QuicException(QuicError.StreamLimitReached, "the peer's stream limit is reached", inner: e);
            }
        }
    }

    /// <summary>The next stream the peer opened.</summary>
    public async ValueTask<QuicStream> AcceptInboundStreamAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _connection.InboundStreams.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Threading.Channels.ChannelClosedException e) when (e.InnerException is QuicException q)
        {
            throw q;
        }
    }

    /// <summary>
    /// The largest datagram payload that fits in one packet now (RFC 9221: the peer's
    /// max_datagram_frame_size and our path MTU); 0 when the peer does not accept datagrams.
    /// </summary>
    public int MaxDatagramPayloadSize
    {
        get
        {
            lock (_connection.Driver.Gate) return _connection.Core.MaxDatagramPayloadSize;
        }
    }

    /// <summary>Queues one unreliable datagram; never blocks, never truncates, never retransmits.</summary>
    public DatagramSendResult SendDatagram(ReadOnlySpan<byte> payload)
    {
        lock (_connection.Driver.Gate)
        {
            var result = _connection.Core.SendDatagram(payload);
            if (result == DatagramSendResult.Queued) _connection.ScheduleFlush();
            return result;
        }
    }

    /// <summary>
    /// Copies the next received datagram into <paramref name="buffer"/> and returns its length;
    /// throws <see cref="QuicException"/> once the connection is closed.
    /// A buffer of <see cref="MaxDatagramPayloadSize"/> or 65535 bytes always suffices.
    /// </summary>
    public async ValueTask<int> ReadDatagramAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            lock (_connection.Driver.Gate)
            {
                int length = _connection.DequeueDatagram(buffer.Span);
                if (length >= 0) return length;
                if (_connection.CloseError is { } error) throw error;
            }
            await _connection.DatagramArrived.WaitAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Transport statistics now.</summary>
    public QuicConnectionStatistics GetStatistics()
    {
        lock (_connection.Driver.Gate) return _connection.Core.GetStatistics(_connection.DatagramsDropped);
    }

    /// <summary>Completes when the connection has closed, by either side or by timeout; faults never.</summary>
    public Task Closed => _connection.ClosedSource.Task;

    /// <summary>The error the connection closed with (null while open).</summary>
    internal QuicException? CloseError => _connection.CloseError;

    /// <summary>Sends CONNECTION_CLOSE (application, 0x1d) with the code and waits for the closing period to start.</summary>
    public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _connection.Run(core =>
        {
            core.Close(errorCode, "", MonotonicClock.Now);
            return 0;
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>Requests a 1-RTT key update (RFC 9001 section 6); false when one is not allowed yet.</summary>
    public bool RequestKeyUpdate() => _connection.Run(core => core.InitiateKeyUpdate());

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await CloseAsync(_connection.Options.DefaultCloseErrorCode).ConfigureAwait(false);
        if (_connection.OwnsDriver)
        {
            // Give the closing period a moment so the peer hears CONNECTION_CLOSE; the socket goes when it ends.
            await Task.WhenAny(_connection.TerminatedSource.Task, Task.Delay(TimeSpan.FromMilliseconds(100))).ConfigureAwait(false);
            if (!_connection.TerminatedSource.Task.IsCompleted) _connection.Driver.Dispose();
        }
    }
}
