using System.Net;
using System.Security.Cryptography.X509Certificates;
using RtcClient.Quic;

namespace RtcClient.Http3.Transport;

/// <summary>The HTTP/3 transport over our QUIC connection.</summary>
internal sealed class QuicH3Transport(QuicConnection connection, bool isClient) : IH3Transport
{
    public bool IsClient => isClient;
    public IPEndPoint? RemoteEndPoint => connection.RemoteEndPoint;
    public IPEndPoint? LocalEndPoint => connection.LocalEndPoint;
    public X509Certificate2? RemoteCertificate => connection.RemoteCertificate;
    public string? TargetHostName => connection.TargetHostName;
    public int MaxDatagramPayloadSize => connection.MaxDatagramPayloadSize;
    public Task Closed => connection.Closed;

    /// <summary>The QUIC connection underneath (tests look at its statistics).</summary>
    internal QuicConnection Connection => connection;

    public async ValueTask<IH3Stream> OpenStreamAsync(bool bidirectional, CancellationToken cancellationToken)
        => new Stream(await connection.OpenOutboundStreamAsync(bidirectional ? QuicStreamType.Bidirectional : QuicStreamType.Unidirectional, cancellationToken).ConfigureAwait(false));

    public async ValueTask<IH3Stream> AcceptStreamAsync(CancellationToken cancellationToken)
        => new Stream(await connection.AcceptInboundStreamAsync(cancellationToken).ConfigureAwait(false));

    public bool SendDatagram(ReadOnlySpan<byte> datagram) => connection.SendDatagram(datagram) == DatagramSendResult.Queued;

    public ValueTask<int> ReadDatagramAsync(Memory<byte> buffer, CancellationToken cancellationToken) => connection.ReadDatagramAsync(buffer, cancellationToken);

    public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken) => connection.CloseAsync(errorCode, cancellationToken);

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    /// <summary>The QUIC stream under an HTTP/3 stream of this transport.</summary>
    internal static QuicStream QuicStreamOf(IH3Stream stream) => ((Stream)stream).Quic;

    private sealed class Stream(QuicStream stream) : IH3Stream
    {
        public QuicStream Quic => stream;
        public long Id => stream.Id;
        public bool IsBidirectional => stream.Type == QuicStreamType.Bidirectional;
        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => stream.ReadAsync(buffer, cancellationToken);
        public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, bool completeWrites, CancellationToken cancellationToken) => stream.WriteAsync(buffer, completeWrites, cancellationToken);
        public void CompleteWrites() => stream.CompleteWrites();
        public void Abort(QuicAbortDirection direction, long errorCode) => stream.Abort(direction, errorCode);
        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
