using System.Net;

namespace RtcClient.Quic;

/// <summary>
/// CONTRACT STUB (the connection work implements it): a UDP socket accepting QUIC connections,
/// shaped like System.Net.Quic.QuicListener.
/// </summary>
public sealed class QuicListener : IAsyncDisposable
{
    private QuicListener() { }

    /// <summary>Binds the socket and starts accepting.</summary>
    public static ValueTask<QuicListener> ListenAsync(QuicListenerOptions options, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>The bound address (with the real port when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint => throw new NotImplementedException();

    /// <summary>The next connection whose handshake completed.</summary>
    public ValueTask<QuicConnection> AcceptConnectionAsync(CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
