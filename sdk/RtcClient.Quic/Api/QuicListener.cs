using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using RtcClient.Quic.Connection;
using RtcClient.Quic.Crypto;
using RtcClient.Quic.Driver;
using RtcClient.Quic.Tls;

namespace RtcClient.Quic;

/// <summary>A UDP socket accepting QUIC connections, shaped like System.Net.Quic.QuicListener.</summary>
public sealed class QuicListener : IAsyncDisposable
{
    private readonly QuicSocketDriver _driver;
    private readonly Channel<QuicConnection> _accepted;
    private readonly QuicListenerOptions _options;
    private readonly ConnectionSettings _settings;
    private readonly IPEndPoint _addressTemplate;
    // Server connections whose handshake has not completed and that are not yet gone, oldest first.
    private readonly List<DriverConnection> _handshaking = [];
    private int _disposed;

    private QuicListener(QuicListenerOptions options)
    {
        _options = options;
        _accepted = Channel.CreateBounded<QuicConnection>(new BoundedChannelOptions(Math.Max(1, options.ListenBacklog)) { FullMode = BoundedChannelFullMode.DropWrite });
        var c = options.ConnectionOptions;
        _settings = QuicConnection.CreateSettings(c, null, new TlsServerOptions
        {
            Certificate = c.ServerCertificate,
            CertificateChain = c.CertificateChain,
            ApplicationProtocols = options.ApplicationProtocols,
            KeyLog = KeyLogFile.Open(c.KeyLogPath),
        }, TimeSpan.FromSeconds(10));
        _addressTemplate = new IPEndPoint(options.ListenEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _driver = new QuicSocketDriver(options.ListenEndPoint, Accept);
    }

    /// <summary>Binds the socket and starts accepting.</summary>
    public static ValueTask<QuicListener> ListenAsync(QuicListenerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(new QuicListener(options));
    }

    /// <summary>The bound address (with the real port when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint => _driver.LocalEndPoint;

    /// <summary>The next connection whose handshake completed.</summary>
    public async ValueTask<QuicConnection> AcceptConnectionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new ObjectDisposedException(nameof(QuicListener), e);
        }
    }

    /// <summary>Live connections of this listener (handshaking, closing or established).</summary>
    internal int ConnectionCount => _driver.ConnectionCount;

    /// <summary>Connections whose handshake is in progress or failing, held now.</summary>
    internal int HandshakesInProgress
    {
        get
        {
            lock (_driver.Gate) return _handshaking.Count;
        }
    }

    /// <summary>Server connections created (one per Initial that decrypted and parsed and was not refused).</summary>
    internal long HandshakesStarted { get; private set; }

    /// <summary>Half-open handshakes dropped to make room for new ones.</summary>
    internal long HandshakesEvicted { get; private set; }

    /// <summary>Valid Initials ignored because every held handshake had a validated client.</summary>
    internal long HandshakesRefused { get; private set; }

    /// <summary>The driver (for tests).</summary>
    internal QuicSocketDriver Driver => _driver;

    // Called by the driver, under its lock, for a new client's first Initial once it decrypted and parsed.
    private DriverConnection? Accept(QuicSocketDriver driver, ConnectionId originalDestination, ConnectionId clientSource, (PacketProtection Client, PacketProtection Server) initialKeys, SocketAddress from)
    {
        if (_disposed != 0) return null;
        if (_handshaking.Count >= Math.Max(1, _options.MaxHandshakesInProgress) && !EvictHalfOpenHandshake())
        {
            HandshakesRefused++;
            return null;
        }
        var remote = (IPEndPoint)_addressTemplate.Create(from);
        var settings = _settings with { MaxDatagramSize = QuicConnection.DatagramSizeFor(remote), StatelessResetTokens = driver.ResetTokens };
        var core = QuicConnectionCore.CreateServer(settings, SecureRandomSource.Instance, MonotonicClock.Now, originalDestination, clientSource, initialKeys);
        var connection = new DriverConnection(driver, core, remote, _options.ConnectionOptions, ownsDriver: false);
        var api = new QuicConnection(connection, null);
        _handshaking.Add(connection);
        HandshakesStarted++;
        connection.HandshakeCompleted = c =>
        {
            _handshaking.Remove(c);
            if (!_accepted.Writer.TryWrite(api)) c.Core.Close(0, "backlog full", MonotonicClock.Now);
        };
        _ = connection.TerminatedSource.Task.ContinueWith(_ =>
        {
            lock (driver.Gate) _handshaking.Remove(connection);
        }, TaskScheduler.Default);
        driver.Register(connection);
        return connection;
    }

    /// <summary>
    /// Makes room for a new handshake (under the driver lock): drops, silently, first a handshake that already
    /// failed and is only closing, else the oldest whose client has not proven its address by a Handshake
    /// packet (RFC 9000 section 8.1; a forged Initial never does). Returns false when every held handshake
    /// has a validated client: the new Initial is then ignored and its client retransmits it.
    /// </summary>
    private bool EvictHalfOpenHandshake()
    {
        DriverConnection? victim = null;
        foreach (var c in _handshaking)
        {
            if (c.Core.State == ConnectionState.Open) continue;
            victim = c;
            break;
        }
        if (victim is null)
        {
            foreach (var c in _handshaking)
            {
                if (c.Core.IsAddressValidated) continue;
                victim = c;
                break;
            }
        }
        if (victim is null) return false;
        _handshaking.Remove(victim);
        victim.Core.Abandon(MonotonicClock.Now);
        HandshakesEvicted++;
        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _accepted.Writer.TryComplete();
        // Connections accepted earlier keep working until they close; the socket goes once they are all done.
        for (int i = 0; i < 50 && _driver.ConnectionCount > 0; i++) await Task.Delay(20).ConfigureAwait(false);
        _driver.Dispose();
    }
}
