using System.Buffers;
using System.Threading.Channels;
using RtcClient.Media;
using RtcClient.Server.Calls;

namespace RtcClient.Server.Media;

/// <summary>
/// An <see cref="IMediaTransport"/> that connects a client in the server's own process straight to
/// the relay, without a network: for in-process application handlers and tests of the media path.
/// Datagram semantics are kept: bounded queues that drop when full. Datagrams travel in pooled
/// buffers, so the path allocates nothing per packet.
/// </summary>
public sealed class LoopbackMediaTransport : IMediaTransport
{
    private readonly CallRegistry _registry;
    private readonly MediaRelay _relay;

    /// <summary>Creates the transport over a server's registry and relay.</summary>
    public LoopbackMediaTransport(CallRegistry registry, MediaRelay relay)
    {
        _registry = registry;
        _relay = relay;
    }

    /// <summary>Largest datagram the loopback sessions carry.</summary>
    public int MaxDatagramSize { get; set; } = 1200;

    /// <inheritdoc />
    public ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mediaUri);
        var path = mediaUri.IsAbsoluteUri ? mediaUri.AbsolutePath : mediaUri.OriginalString;
        var segments = path.TrimEnd('/').Split('/');
        if (segments.Length < 2 || segments[^1] != "media") throw new ArgumentException("not a media URI", nameof(mediaUri));
        var leg = _registry.FindLeg(segments[^2]) ?? throw new InvalidOperationException($"no call leg at {path}");
        var (client, server) = Pair.Create(MaxDatagramSize);
        _ = _relay.RunAsync(leg, server, CancellationToken.None);
        return ValueTask.FromResult<IMediaSession>(client);
    }

    private sealed class Pair : IMediaSession
    {
        private readonly Channel<(byte[] Buffer, int Length)> _inbox = Channel.CreateBounded<(byte[], int)>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        private Pair _other = null!;

        private Pair(int max) => MaxDatagramSize = max;

        public static (Pair Client, Pair Server) Create(int max)
        {
            var a = new Pair(max);
            var b = new Pair(max);
            a._other = b;
            b._other = a;
            return (a, b);
        }

        public int MaxDatagramSize { get; }

        public bool TrySend(ReadOnlySpan<byte> datagram)
        {
            if (datagram.Length > MaxDatagramSize) return false;
            var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
            datagram.CopyTo(buffer);
            if (_other._inbox.Writer.TryWrite((buffer, datagram.Length))) return true;
            ArrayPool<byte>.Shared.Return(buffer);
            return false;
        }

        public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            try
            {
                var (d, length) = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                int n = Math.Min(length, buffer.Length);
                d.AsSpan(0, n).CopyTo(buffer.Span);
                ArrayPool<byte>.Shared.Return(d);
                return n;
            }
            catch (ChannelClosedException)
            {
                return 0;
            }
        }

        public ValueTask DisposeAsync()
        {
            foreach (var inbox in (ReadOnlySpan<Channel<(byte[] Buffer, int Length)>>)[_inbox, _other._inbox])
            {
                inbox.Writer.TryComplete();
            }
            // What the owner never read goes back to the pool (the reader sees the completed channel).
            while (_inbox.Reader.TryRead(out var left)) ArrayPool<byte>.Shared.Return(left.Buffer);
            return ValueTask.CompletedTask;
        }
    }
}
