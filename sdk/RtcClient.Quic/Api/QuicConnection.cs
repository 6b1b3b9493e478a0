using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Quic;

/// <summary>
/// CONTRACT STUB (the connection work implements it): a QUIC connection, shaped like
/// System.Net.Quic.QuicConnection, plus RFC 9221 datagrams and statistics.
/// </summary>
public sealed class QuicConnection : IAsyncDisposable
{
    private QuicConnection() { }

    /// <summary>Connects and completes the handshake.</summary>
    public static ValueTask<QuicConnection> ConnectAsync(QuicClientConnectionOptions options, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>The peer's address.</summary>
    public IPEndPoint RemoteEndPoint => throw new NotImplementedException();

    /// <summary>Our address.</summary>
    public IPEndPoint LocalEndPoint => throw new NotImplementedException();

    /// <summary>The ALPN protocol agreed in the handshake.</summary>
    public string NegotiatedApplicationProtocol => throw new NotImplementedException();

    /// <summary>The server's name (SNI) as sent by the client.</summary>
    public string? TargetHostName => throw new NotImplementedException();

    /// <summary>The peer's certificate (the server's, on a client).</summary>
    public X509Certificate2? RemoteCertificate => throw new NotImplementedException();

    /// <summary>Opens a stream, waiting for the peer's MAX_STREAMS when the limit is reached.</summary>
    public ValueTask<QuicStream> OpenOutboundStreamAsync(QuicStreamType type, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>The next stream the peer opened.</summary>
    public ValueTask<QuicStream> AcceptInboundStreamAsync(CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>
    /// The largest datagram payload that fits in one packet now (RFC 9221: the peer's
    /// max_datagram_frame_size and our path MTU); 0 when the peer does not accept datagrams.
    /// </summary>
    public int MaxDatagramPayloadSize => throw new NotImplementedException();

    /// <summary>Queues one unreliable datagram; never blocks, never truncates, never retransmits.</summary>
    public DatagramSendResult SendDatagram(ReadOnlySpan<byte> payload) => throw new NotImplementedException();

    /// <summary>
    /// Copies the next received datagram into <paramref name="buffer"/> and returns its length;
    /// throws <see cref="QuicException"/> once the connection is closed.
    /// A buffer of <see cref="MaxDatagramPayloadSize"/> or 65535 bytes always suffices.
    /// </summary>
    public ValueTask<int> ReadDatagramAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Transport statistics now.</summary>
    public QuicConnectionStatistics GetStatistics() => throw new NotImplementedException();

    /// <summary>Completes when the connection has closed, by either side or by timeout; faults never.</summary>
    public Task Closed => throw new NotImplementedException();

    /// <summary>Sends CONNECTION_CLOSE (application, 0x1d) with the code and waits for the closing period to start.</summary>
    public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
