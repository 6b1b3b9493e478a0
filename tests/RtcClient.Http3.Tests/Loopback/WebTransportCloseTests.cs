using System.Net;
using RtcClient.Http3.Transport;
using RtcClient.Http3.WebTransport;
using RtcClient.Quic;

namespace RtcClient.Http3.Tests.Loopback;

/// <summary>
/// Closing a WebTransport session after the server has finished with the CONNECT stream, over our QUIC on
/// 127.0.0.1. The server's close sends WT_CLOSE_SESSION, FIN and STOP_SENDING; our QUIC answers the STOP_SENDING
/// with RESET_STREAM and, once that is acknowledged and the FIN was read, forgets the stream. A write after that
/// point used to wait forever for send credit that could never come.
/// </summary>
[Category("Loopback")]
public class WebTransportCloseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task CloseAsync_AfterTheServerFinishedTheConnectStream_Completes()
    {
        await using var peer = await Peer.StartAsync();
        var stream = await peer.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        await stream.WriteHeadersAsync(
            [new(":method", "CONNECT"), new(":protocol", "webtransport-h3"), new(":scheme", "https"), new(":authority", "127.0.0.1"), new(":path", "/wt")],
            false, CancellationToken.None);
        var headers = await stream.ReadHeadersAsync(CancellationToken.None).AsTask().WaitAsync(Timeout);
        Assert.That(headers, Does.Contain(new HeaderField(":status", "200")));
        // The session's capsule reader is not started: the test reads the CONNECT stream itself, which forces the
        // interleaving where the peer's close has been consumed from the stream but CloseAsync has not learnt of it.
        var session = new WebTransportSession(stream, WebTransportDialect.Current, null);
        Assert.That(peer.Client.Connection.RegisterSession(session), Is.True);

        var server = await peer.ServerSession.Task.WaitAsync(Timeout);
        await server.DisposeAsync().AsTask().WaitAsync(Timeout);
        var buffer = new byte[256];
        while (await stream.ReadBodyAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Timeout) > 0)
        {
        }

        await peer.WaitUntilStreamForgottenAsync(stream.Stream);
        await session.CloseAsync(9, "late").WaitAsync(Timeout);
        Assert.That(session.IsClosed, Is.True);
        Assert.That((await session.Closed).Abrupt, Is.False);
    }

    [Test]
    public async Task DrainAndClose_AfterTheServerClosedTheSession_CompleteWithoutWriting()
    {
        await using var peer = await Peer.StartAsync();
        var session = await peer.Client.OpenWebTransportAsync(peer.Uri).WaitAsync(Timeout);
        var server = await peer.ServerSession.Task.WaitAsync(Timeout);
        await server.CloseAsync(5, "done").WaitAsync(Timeout);
        await server.DisposeAsync().AsTask().WaitAsync(Timeout);
        Assert.That(await session.Closed.WaitAsync(Timeout), Is.EqualTo(new WebTransportCloseInfo(5, "done", false)));

        var connect = ConnectStreamOf(peer, session);
        await peer.WaitUntilStreamForgottenAsync(connect);
        // Both only concern a session that is still open: after the peer's close they have nothing to send.
        await session.DrainAsync().WaitAsync(Timeout);
        await session.CloseAsync(1, "again").WaitAsync(Timeout);
        Assert.That((await session.Closed).ErrorCode, Is.EqualTo(5u));
    }

    private static IH3Stream ConnectStreamOf(Peer peer, WebTransportSession session)
        => peer.ClientRequestStreams.Single(s => s.Id == session.SessionId);

    /// <summary>Our server (accepting one WebTransport session at /wt) and our client on 127.0.0.1.</summary>
    private sealed class Peer(Http3Server server, Http3ClientConnection client, TaskCompletionSource<WebTransportSession> serverSession, Uri uri) : IAsyncDisposable
    {
        public Http3ClientConnection Client => client;
        public TaskCompletionSource<WebTransportSession> ServerSession => serverSession;
        public Uri Uri => uri;
        public IEnumerable<IH3Stream> ClientRequestStreams => Client.Connection.ActiveRequestStreams.Select(r => r.Stream);

        public static async Task<Peer> StartAsync()
        {
            var serverSession = new TaskCompletionSource<WebTransportSession>(TaskCreationOptions.RunContinuationsAsynchronously);
            var options = new Http3ServerOptions { ServerCertificate = TestCertificate.Certificate };
            options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
            options.ConfigureQuic = q => q.KeyLogPath = "";
            var server = new Http3Server(options, async ctx => serverSession.TrySetResult(await ctx.AcceptWebTransportSessionAsync()));
            await server.StartAsync();
            var uri = new Uri($"https://127.0.0.1:{server.LocalEndPoints[0].Port}/wt");
            var client = await Http3ClientConnection.ConnectAsync(uri, new Http3ClientOptions
            {
                PinnedCertificateSha256 = [TestCertificate.Sha256],
                ConfigureQuic = q => q.KeyLogPath = "",
            }).WaitAsync(Timeout);
            return new Peer(server, client, serverSession, uri);
        }

        /// <summary>
        /// Waits until the server's STOP_SENDING arrived and our RESET_STREAM answering it was acknowledged: with
        /// the FIN already read, our QUIC has then forgotten the stream.
        /// </summary>
        public async Task WaitUntilStreamForgottenAsync(IH3Stream stream)
        {
            var quic = QuicH3Transport.QuicStreamOf(stream);
            var stopped = Assert.ThrowsAsync<QuicException>(async () => await quic.WritesClosed.WaitAsync(Timeout));
            Assert.That(stopped!.Error, Is.EqualTo(QuicError.StreamAborted), "the server's STOP_SENDING");
            var connection = ((QuicH3Transport)Client.Connection.Transport).Connection;
            var deadline = DateTime.UtcNow + Timeout;
            while (connection.GetStatistics().BytesInFlight > 0)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "our RESET_STREAM was never acknowledged");
                await Task.Delay(10);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync();
            await server.DisposeAsync();
        }
    }
}
