using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Http3.Transport;

/// <summary>
/// What HTTP/3 needs from a QUIC connection. One adapter wraps <see cref="Quic.QuicConnection"/>; an in-memory
/// pair lets the HTTP/3 layer be tested end to end without packets. Failures surface as <see cref="Quic.QuicException"/>.
/// </summary>
internal interface IH3Transport : IAsyncDisposable
{
    /// <summary>True for the client side.</summary>
    bool IsClient { get; }

    /// <summary>The peer's address (null in memory).</summary>
    IPEndPoint? RemoteEndPoint { get; }

    /// <summary>Our address (null in memory).</summary>
    IPEndPoint? LocalEndPoint { get; }

    /// <summary>The peer's certificate, when any.</summary>
    X509Certificate2? RemoteCertificate { get; }

    /// <summary>SNI sent by the client.</summary>
    string? TargetHostName { get; }

    /// <summary>Largest datagram payload now; 0 when datagrams are unavailable.</summary>
    int MaxDatagramPayloadSize { get; }

    /// <summary>Completes when the connection has closed.</summary>
    Task Closed { get; }

    /// <summary>Opens a stream.</summary>
    ValueTask<IH3Stream> OpenStreamAsync(bool bidirectional, CancellationToken cancellationToken);

    /// <summary>The next stream the peer opened.</summary>
    ValueTask<IH3Stream> AcceptStreamAsync(CancellationToken cancellationToken);

    /// <summary>Sends one datagram; false when it was not queued.</summary>
    bool SendDatagram(ReadOnlySpan<byte> datagram);

    /// <summary>Receives one datagram into the buffer.</summary>
    ValueTask<int> ReadDatagramAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Closes the connection with an application error code.</summary>
    ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken);
}
