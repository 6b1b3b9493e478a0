using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using RtcClient.Quic.Connection;
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
    private readonly List<DriverConnection> _pending = [];
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

    // Called by the driver, under its lock, for a new client's first Initial.
    private DriverConnection? Accept(QuicSocketDriver driver, ConnectionId originalDestination, ConnectionId clientSource, SocketAddress from)
    {
        if (_disposed != 0 || _pending.Count >= _options.ListenBacklog) return null;
        var remote = (IPEndPoint)_addressTemplate.Create(from);
        var core = QuicConnectionCore.CreateServer(_settings with { MaxDatagramSize = QuicConnection.DatagramSizeFor(remote) }, SecureRandomSource.Instance, MonotonicClock.Now, originalDestination, clientSource);
        var connection = new DriverConnection(driver, core, remote, _options.ConnectionOptions, ownsDriver: false);
        var api = new QuicConnection(connection, null);
        _pending.Add(connection);
        connection.HandshakeCompleted = c =>
        {
            _pending.Remove(c);
            if (!_accepted.Writer.TryWrite(api)) c.Core.Close(0, "backlog full", MonotonicClock.Now);
        };
        _ = connection.ClosedSource.Task.ContinueWith(_ =>
        {
            lock (driver.Gate) _pending.Remove(connection);
        }, TaskScheduler.Default);
        driver.Register(connection);
        return connection;
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
