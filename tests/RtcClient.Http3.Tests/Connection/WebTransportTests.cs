using System.Buffers;
using System.Text;
using RtcClient.Http3.Capsules;
using RtcClient.Http3.Frames;
using RtcClient.Http3.WebTransport;

namespace RtcClient.Http3.Tests.Connection;

public class WebTransportTests
{
    /// <summary>A server that echoes datagrams, bidirectional streams and unidirectional streams (on a new uni stream), like wtpeer.</summary>
    internal static async Task EchoHandler(Http3RequestContext ctx)
    {
        if (!ctx.IsWebTransportRequest)
        {
            ctx.StatusCode = 404;
            return;
        }

        var offered = ctx.WebTransportAvailableProtocols;
        var session = await ctx.AcceptWebTransportSessionAsync(offered.Count > 0 ? offered[0] : null);
        _ = EchoHandlerSession(session);
    }

    /// <summary>Echoes datagrams, bidi streams and uni streams of a session until it ends (the interop endpoint's echo).</summary>
    internal static Task EchoHandlerSession(WebTransportSession session) => RtcClient.Interop.Endpoint.WebTransportEcho.RunAsync(session);

    /// <summary>Sends a datagram, a bidi stream and a uni stream and checks the echoes.</summary>
    internal static async Task ExerciseEchoAsync(WebTransportSession session)
    {
        Assert.That(session.SendDatagram("ping"u8), Is.True);
        var buf = new byte[64];
        int n = await session.ReadDatagramAsync(buf).AsTask().WaitAsync(InMemoryPair.Timeout);
        Assert.That(Encoding.ASCII.GetString(buf, 0, n), Is.EqualTo("ping"));

        await using (var bidi = await session.OpenBidirectionalStreamAsync())
        {
            await bidi.WriteAsync("bidi-hello"u8.ToArray(), completeWrites: true);
            var echoed = new MemoryStream();
            await bidi.CopyToAsync(echoed).WaitAsync(InMemoryPair.Timeout);
            Assert.That(Encoding.ASCII.GetString(echoed.ToArray()), Is.EqualTo("bidi-hello"));
        }

        await using (var uni = await session.OpenUnidirectionalStreamAsync())
            await uni.WriteAsync("uni-hello"u8.ToArray(), completeWrites: true);
        var incoming = await session.AcceptStreamAsync().AsTask().WaitAsync(InMemoryPair.Timeout);
        Assert.That(incoming.IsBidirectional, Is.False);
        var got = new MemoryStream();
        await incoming.CopyToAsync(got).WaitAsync(InMemoryPair.Timeout);
        Assert.That(Encoding.ASCII.GetString(got.ToArray()), Is.EqualTo("uni-hello"));
    }

    [TestCase(WebTransportDialect.Current)]
    [TestCase(WebTransportDialect.Draft02)]
    public async Task Session_EchoesDatagramBidiAndUni(WebTransportDialect dialect)
    {
        await using var pair = await InMemoryPair.StartAsync(EchoHandler);
        var session = await pair.Client.OpenWebTransportCoreAsync(new Uri("https://localhost/wt"), ["rtc-v1"], dialect, CancellationToken.None).WaitAsync(InMemoryPair.Timeout);
        Assert.That(session.Dialect, Is.EqualTo(dialect));
        if (dialect == WebTransportDialect.Current)
            Assert.That(session.Protocol, Is.EqualTo("rtc-v1"));

        await ExerciseEchoAsync(session);
        await session.CloseAsync();
    }

    [Test]
    public async Task StartedSession_ADatagramSentBeforeTheResponse_WaitsForTheServerToAccept()
    {
        var accepted = new TaskCompletionSource<WebTransportSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = await InMemoryPair.StartAsync(async ctx =>
        {
            // A server slow to accept: the client's datagram is here first and must wait for the session, not vanish.
            var deadline = DateTime.UtcNow + InMemoryPair.Timeout;
            while (ctx.Connection.EarlyDatagramsWaiting == 0 && DateTime.UtcNow < deadline)
                await Task.Delay(5);
            accepted.TrySetResult(await ctx.AcceptWebTransportSessionAsync());
        });
        var session = await pair.Client.StartWebTransportAsync(new Uri("https://localhost/wt")).WaitAsync(InMemoryPair.Timeout);
        Assert.That(session.Established.IsCompleted, Is.False, "the server answers only once it holds the datagram");
        Assert.That(session.SendDatagram("early"u8), Is.True);
        await session.Established.WaitAsync(InMemoryPair.Timeout);
        var server = await accepted.Task.WaitAsync(InMemoryPair.Timeout);
        var buf = new byte[16];
        int n = await server.ReadDatagramAsync(buf).AsTask().WaitAsync(InMemoryPair.Timeout);
        Assert.That(Encoding.ASCII.GetString(buf, 0, n), Is.EqualTo("early"));
        await session.CloseAsync();
    }

    [Test]
    public async Task StartedSession_RefusedByTheServer_FaultsEstablishedAndCloses()
    {
        await using var pair = await InMemoryPair.StartAsync(ctx =>
        {
            ctx.StatusCode = 404;
            return Task.CompletedTask;
        });
        var session = await pair.Client.StartWebTransportAsync(new Uri("https://localhost/nowhere")).WaitAsync(InMemoryPair.Timeout);
        var refused = Assert.ThrowsAsync<HttpRequestException>(() => session.Established.WaitAsync(InMemoryPair.Timeout));
        Assert.That(refused!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
        var closed = await session.Closed.WaitAsync(InMemoryPair.Timeout);
        Assert.That(closed.Abrupt, Is.True);
        Assert.That(session.SendDatagram("late"u8), Is.False, "a refused session sends nothing more");
        await session.DisposeAsync();
    }

    [Test]
    public void EarlyDatagramBuffer_KeepsTheNewestWithinItsBounds_AndHandsThemOverInOrder()
    {
        var buffer = new EarlyDatagramBuffer(maxDatagrams: 3, maxBytes: 10);
        buffer.Add(0, [1]);
        buffer.Add(4, [2, 2]);
        buffer.Add(0, [3]);
        buffer.Add(0, [4]);            // a fourth pushes out the oldest
        Assert.That((buffer.Count, buffer.Dropped), Is.EqualTo((3, 1L)));
        buffer.Add(8, new byte[11]);   // larger than the whole buffer: dropped, nothing else lost
        Assert.That((buffer.Count, buffer.Dropped), Is.EqualTo((3, 2L)));
        buffer.Add(8, new byte[8]);    // a fourth again: the oldest (session 4's) goes
        Assert.That(buffer.Dropped, Is.EqualTo(3L));
        Assert.That(buffer.TakeFor(0), Is.EqualTo(new[] { new byte[] { 3 }, new byte[] { 4 } }));
        Assert.That(buffer.TakeFor(4), Is.Null);
        Assert.That(buffer.TakeFor(8)!.Single(), Has.Length.EqualTo(8));
        Assert.That(buffer.Count, Is.Zero);

        var bytes = new EarlyDatagramBuffer(maxDatagrams: 10, maxBytes: 4);
        bytes.Add(0, [1, 1, 1]);
        bytes.Add(0, [2, 2]);          // 3 + 2 bytes > 4: the first goes
        Assert.That(bytes.TakeFor(0), Is.EqualTo(new[] { new byte[] { 2, 2 } }));

        // What waits longer than its age limit (a session that never comes, or one that just ended) goes.
        long now = 0;
        var aging = new EarlyDatagramBuffer(maxDatagrams: 10, maxBytes: 100, TimeSpan.FromSeconds(1), () => now);
        aging.Add(0, [1]);
        now = 600;
        aging.Add(4, [2]);
        now = 1200;                    // the first is 1.2 s old, the second 0.6 s
        Assert.That(aging.TakeFor(0), Is.Null);
        Assert.That(aging.TakeFor(4), Is.EqualTo(new[] { new byte[] { 2 } }));
        Assert.That(aging.Dropped, Is.EqualTo(1L));
    }

    [Test]
    public async Task Draft02Answer_CarriesTheDraftHeader_AndServerSettingsMatchChromiumsNeeds()
    {
        await using var pair = await InMemoryPair.StartAsync(EchoHandler);
        var settings = await pair.Client.Connection.PeerSettings.WaitAsync(InMemoryPair.Timeout);
        var ids = settings.All.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.That(settings.EnableConnectProtocol, Is.True);
        Assert.That(ids[Http3SettingId.EnableConnectProtocol], Is.EqualTo(1));
        Assert.That(ids[Http3SettingId.H3Datagram], Is.EqualTo(1));
        Assert.That(ids[Http3SettingId.EnableWebTransportDraft02], Is.EqualTo(1));

        // What Chromium sends: :protocol=webtransport and sec-webtransport-http3-draft02: 1.
        var stream = await pair.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        await stream.WriteHeadersAsync(
        [
            new(":method", "CONNECT"), new(":protocol", "webtransport"), new(":scheme", "https"), new(":authority", "127.0.0.1:8443"),
            new(":path", "/wt"), new("origin", "https://127.0.0.1:8443"), new("sec-webtransport-http3-draft02", "1"),
        ], false, CancellationToken.None);
        var headers = await stream.ReadHeadersAsync(CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout);
        Assert.That(headers, Does.Contain(new HeaderField(":status", "200")));
        Assert.That(headers, Does.Contain(new HeaderField("sec-webtransport-http3-draft", "draft02")));
        stream.Abort(Http3ErrorCode.NoError);
        await stream.DisposeAsync();
    }

    private static readonly string[] Survivors = ["a", "b", "last"];

    [Test]
    public async Task DatagramHandler_GetsDatagramsInsteadOfTheQueue_AndSurvivesAThrowingHandler()
    {
        var serverSession = new TaskCompletionSource<WebTransportSession>();
        await using var pair = await InMemoryPair.StartAsync(async ctx => serverSession.SetResult(await ctx.AcceptWebTransportSessionAsync()));
        var session = await pair.Client.OpenWebTransportAsync(new Uri("https://localhost/wt")).WaitAsync(InMemoryPair.Timeout);
        var server = await serverSession.Task.WaitAsync(InMemoryPair.Timeout);

        var got = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.SetDatagramHandler(d =>
        {
            string text = System.Text.Encoding.ASCII.GetString(d);
            if (text == "boom")
                throw new InvalidOperationException("a broken handler");
            lock (got)
            {
                got.Add(text);
                if (text == "last") done.TrySetResult();
            }
        });
        var buf = new byte[8];
        var read = server.ReadDatagramAsync(buf).AsTask();
        foreach (var d in new[] { "a", "b", "boom", "last" })
            Assert.That(session.SendDatagram(System.Text.Encoding.ASCII.GetBytes(d)), Is.True);
        await done.Task.WaitAsync(InMemoryPair.Timeout);
        Assert.That(got, Is.EquivalentTo(Survivors), "the throwing handler lost only its own datagram");
        Assert.That(read.IsCompleted, Is.False, "with a handler nothing is queued for ReadDatagramAsync");

        server.SetDatagramHandler(null);
        Assert.That(session.SendDatagram("q"u8), Is.True);
        Assert.That(await read.WaitAsync(InMemoryPair.Timeout), Is.EqualTo(1));
        Assert.That(buf[0], Is.EqualTo((byte)'q'), "without a handler datagrams queue again");
        await session.CloseAsync();
    }

    [Test]
    public async Task CloseSession_DeliversCodeAndMessage_AndDrainIsSignalled()
    {
        var serverSession = new TaskCompletionSource<WebTransportSession>();
        await using var pair = await InMemoryPair.StartAsync(async ctx => serverSession.SetResult(await ctx.AcceptWebTransportSessionAsync()));
        var session = await pair.Client.OpenWebTransportAsync(new Uri("https://localhost/wt")).WaitAsync(InMemoryPair.Timeout);
        var server = await serverSession.Task.WaitAsync(InMemoryPair.Timeout);

        await server.DrainAsync();
        await session.DrainRequested.WaitAsync(InMemoryPair.Timeout);
        Assert.That(session.IsClosed, Is.False);

        var serverStream = await session.OpenBidirectionalStreamAsync();
        await serverStream.WriteAsync("x"u8.ToArray());
        var accepted = await server.AcceptStreamAsync().AsTask().WaitAsync(InMemoryPair.Timeout);

        await session.CloseAsync(7, "bye");
        var info = await server.Closed.WaitAsync(InMemoryPair.Timeout);
        Assert.That(info, Is.EqualTo(new WebTransportCloseInfo(7, "bye", false)));
        // Streams of a closed session are aborted (the peer sees WT_SESSION_GONE), not left open.
        Assert.ThrowsAsync<Quic.QuicException>(async () =>
        {
            var b = new byte[8];
            while (await accepted.ReadAsync(b).AsTask().WaitAsync(InMemoryPair.Timeout) > 0)
            {
            }
        });
        Assert.That(session.IsClosed, Is.True);
    }

    [Test]
    public async Task CapsuleWithBadLength_ResetsTheSession()
    {
        var serverSession = new TaskCompletionSource<WebTransportSession>();
        await using var pair = await InMemoryPair.StartAsync(async ctx => serverSession.SetResult(await ctx.AcceptWebTransportSessionAsync()),
            serverOptions: new Http3Options { MaxCapsuleLength = 1024 });
        var stream = await pair.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        await stream.WriteHeadersAsync([new(":method", "CONNECT"), new(":protocol", "webtransport-h3"), new(":scheme", "https"), new(":authority", "x"), new(":path", "/wt")], false, CancellationToken.None);
        await stream.ReadHeadersAsync(CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout);
        // A DATA frame carrying a capsule header that claims 1 GB.
        var w = new ArrayBufferWriter<byte>();
        Http3FrameWriter.WriteFrame(w, Http3FrameType.Data, [0x00, 0xbf, 0xff, 0xff, 0xff]);
        await stream.WriteAsync(w.WrittenMemory, false, CancellationToken.None);
        var server = await serverSession.Task.WaitAsync(InMemoryPair.Timeout);
        var info = await server.Closed.WaitAsync(InMemoryPair.Timeout);
        Assert.That(info.Abrupt, Is.True);
        var ex = Assert.ThrowsAsync<Quic.QuicException>(async () => await stream.ReadBodyAsync(new byte[16], CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout));
        Assert.That(ex!.ApplicationErrorCode, Is.EqualTo((long)Http3ErrorCode.MessageError));
        _ = CapsuleType.Datagram;
        await stream.DisposeAsync();
    }

    [Test]
    public async Task TooManySessions_AreRefused()
    {
        await using var pair = await InMemoryPair.StartAsync(async ctx =>
        {
            try
            {
                await ctx.AcceptWebTransportSessionAsync();
            }
            catch (InvalidOperationException)
            {
            }
        }, serverOptions: new Http3Options { MaxWebTransportSessions = 1 });
        await pair.Client.OpenWebTransportAsync(new Uri("https://localhost/wt")).WaitAsync(InMemoryPair.Timeout);
        var ex = Assert.ThrowsAsync<HttpRequestException>(async () => await pair.Client.OpenWebTransportAsync(new Uri("https://localhost/wt")).WaitAsync(InMemoryPair.Timeout));
        Assert.That((int?)ex!.StatusCode, Is.EqualTo(429));
    }
}
