using System.IO.Pipelines;
using System.Net;
using System.Text;
using RtcClient.Quic;

namespace RtcClient.Http3.Tests.Connection;

public class RequestTests
{
    [Test]
    public async Task Get_ReturnsBodyAndHeaders_OverHttpClient()
    {
        await using var pair = await InMemoryPair.StartAsync(async ctx =>
        {
            ctx.ResponseHeaders.Add(new("content-type", "text/plain"));
            ctx.ResponseHeaders.Add(new("x-path", ctx.Path));
            await ctx.ResponseBody.WriteAsync("hello"u8.ToArray());
        });
        using var http = pair.CreateHttpClient();
        using var response = await http.GetAsync("/a?b=1");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Version, Is.EqualTo(HttpVersion.Version30));
        Assert.That(response.Headers.GetValues("x-path").Single(), Is.EqualTo("/a?b=1"));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("hello"));
    }

    [Test]
    public async Task ManyConcurrentRequests_ReuseOneConnection_AndUseTheDynamicTable()
    {
        await using var pair = await InMemoryPair.StartAsync(async ctx =>
        {
            var body = new MemoryStream();
            await ctx.RequestBody.CopyToAsync(body);
            ctx.ResponseHeaders.Add(new("x-echo-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await ctx.ResponseBody.WriteAsync(body.ToArray());
        });
        using var http = pair.CreateHttpClient();
        http.DefaultRequestHeaders.Add("x-client-tag", "same-on-every-request");
        var tasks = Enumerable.Range(0, 40).Select(async i =>
        {
            using var r = await http.PostAsync("/echo", new StringContent(new string('x', i * 100)));
            Assert.That(r.Headers.GetValues("x-echo-length").Single(), Is.EqualTo((i * 100).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That((await r.Content.ReadAsStringAsync()).Length, Is.EqualTo(i * 100));
        });
        await Task.WhenAll(tasks).WaitAsync(InMemoryPair.Timeout);
        Assert.That(pair.ClientTransport.Closed.IsCompleted, Is.False);
        // The client's encoder inserted repeated fields into the server decoder's dynamic table.
        Assert.That(pair.Server.Connections.Single().Decoder.Table.InsertCount, Is.GreaterThan(0));
        Assert.That(pair.Client.Connection.Decoder.Table.InsertCount, Is.GreaterThan(0));
    }

    [Test]
    public async Task StreamingBothWays_AndTrailers()
    {
        await using var pair = await InMemoryPair.StartAsync(async ctx =>
        {
            // Echo chunk by chunk: the response streams while the request is still being sent.
            var buf = new byte[1024];
            int n;
            while ((n = await ctx.RequestBody.ReadAsync(buf)) > 0)
                await ctx.ResponseBody.WriteAsync(buf.AsMemory(0, n));
            ctx.ResponseTrailers.Add(new("x-checksum", "abc"));
            foreach (var t in ctx.RequestTrailers)
                ctx.ResponseTrailers.Add(new("echo-" + t.Name, t.Value));
        });

        var pipe = new Pipe();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://localhost/stream") { Content = new StreamContent(pipe.Reader.AsStream()) };
        var responseTask = pair.Client.SendAsync(request);
        await pipe.Writer.WriteAsync("first"u8.ToArray());
        using var response = await responseTask.WaitAsync(InMemoryPair.Timeout);
        var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        int got = await body.ReadAsync(buffer).AsTask().WaitAsync(InMemoryPair.Timeout);
        Assert.That(Encoding.ASCII.GetString(buffer, 0, got), Is.EqualTo("first"), "the first chunk echoed before the request ended");
        await pipe.Writer.WriteAsync("second"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        var rest = new MemoryStream();
        await body.CopyToAsync(rest).WaitAsync(InMemoryPair.Timeout);
        Assert.That(Encoding.ASCII.GetString(rest.ToArray()), Is.EqualTo("second"));
        Assert.That(response.TrailingHeaders.GetValues("x-checksum").Single(), Is.EqualTo("abc"));
    }

    [Test]
    public async Task RequestTrailers_AreDeliveredToTheServer()
    {
        await using var pair = await InMemoryPair.StartAsync(async ctx =>
        {
            await ctx.RequestBody.CopyToAsync(Stream.Null);
            foreach (var t in ctx.RequestTrailers)
                ctx.ResponseHeaders.Add(new("echo-" + t.Name, t.Value));
        });
        var stream = await pair.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        await stream.WriteHeadersAsync([new(":method", "POST"), new(":scheme", "https"), new(":authority", "localhost"), new(":path", "/t")], false, CancellationToken.None);
        await stream.WriteDataAsync("body"u8.ToArray(), false, CancellationToken.None);
        await stream.WriteHeadersAsync([new("x-sum", "42")], true, CancellationToken.None);
        var headers = await stream.ReadHeadersAsync(CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout);
        Assert.That(headers, Does.Contain(new HeaderField("echo-x-sum", "42")));
        await stream.DisposeAsync();
    }

    [Test]
    public async Task DeclaredContentLength_EndsTheStreamWithTheLastBodyBytes_AndMoreIsRefused()
    {
        var extraWrite = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource();
        await using var pair = await InMemoryPair.StartAsync(async ctx =>
        {
            ctx.ResponseHeaders.Add(new("content-length", "5"));
            await ctx.ResponseBody.WriteAsync("hel"u8.ToArray());
            await ctx.ResponseBody.WriteAsync("lo"u8.ToArray());
            try
            {
                await ctx.ResponseBody.WriteAsync("!"u8.ToArray());
                extraWrite.TrySetResult(null);
            }
            catch (InvalidOperationException e)
            {
                extraWrite.TrySetResult(e);
            }

            // The handler has not returned, yet the response is complete: the FIN went with "lo".
            await released.Task;
        });
        using var http = pair.CreateHttpClient();
        using var response = await http.GetAsync("/", HttpCompletionOption.ResponseHeadersRead);
        string body = await response.Content.ReadAsStringAsync().WaitAsync(InMemoryPair.Timeout);
        released.SetResult();
        Assert.That(body, Is.EqualTo("hello"));
        Assert.That(await extraWrite.Task.WaitAsync(InMemoryPair.Timeout), Is.InstanceOf<InvalidOperationException>());
    }

    [Test]
    public async Task HandlerException_Becomes500()
    {
        await using var pair = await InMemoryPair.StartAsync(_ => throw new InvalidOperationException("boom"));
        using var http = pair.CreateHttpClient();
        using var r = await http.GetAsync("/");
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
    }

    [Test]
    public async Task MalformedRequest_IsResetWithMessageError()
    {
        await using var pair = await InMemoryPair.StartAsync(_ => Task.CompletedTask);
        var stream = await pair.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        await stream.WriteHeadersAsync([new(":method", "GET"), new(":scheme", "https"), new(":path", "/"), new("Upper-Case", "x")], true, CancellationToken.None);
        var ex = Assert.ThrowsAsync<QuicException>(async () => await stream.ReadHeadersAsync(CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout));
        Assert.That(ex!.ApplicationErrorCode, Is.EqualTo((long)Http3ErrorCode.MessageError));
        await stream.DisposeAsync();
    }

    [Test]
    public async Task OversizedHeaders_AreRejectedWithExcessiveLoad()
    {
        await using var pair = await InMemoryPair.StartAsync(_ => Task.CompletedTask, serverOptions: new Http3Options { MaxFieldSectionSize = 1024 });
        using var http = pair.CreateHttpClient();
        http.DefaultRequestHeaders.Add("x-huge", new string('a', 5000));
        var ex = Assert.ThrowsAsync<HttpRequestException>(async () => await http.GetAsync("/"));
        Assert.That(ex!.InnerException, Is.InstanceOf<QuicException>());
        Assert.That(((QuicException)ex.InnerException!).ApplicationErrorCode, Is.EqualTo((long)Http3ErrorCode.ExcessiveLoad));
        // The connection survives a stream error.
        http.DefaultRequestHeaders.Remove("x-huge");
        using var ok = await http.GetAsync("/");
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UnknownStreamTypesAndFrames_AreIgnored()
    {
        await using var pair = await InMemoryPair.StartAsync(async ctx => await ctx.ResponseBody.WriteAsync("ok"u8.ToArray()));
        // A reserved stream type with junk, and an unknown frame before HEADERS on a request.
        var grease = await pair.ClientTransport.OpenStreamAsync(false, CancellationToken.None);
        await grease.WriteAsync(new byte[] { 0x40, 0x21, 1, 2, 3 }, true, CancellationToken.None);
        var stream = await pair.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        await stream.WriteAsync(new byte[] { 0x21, 0x03, 9, 9, 9 }, false, CancellationToken.None);
        await stream.WriteHeadersAsync([new(":method", "GET"), new(":scheme", "https"), new(":authority", "x"), new(":path", "/")], true, CancellationToken.None);
        var headers = await stream.ReadHeadersAsync(CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout);
        Assert.That(headers[0], Is.EqualTo(new HeaderField(":status", "200")));
        await stream.DisposeAsync();
    }

    [TestCase(new byte[] { 0x00, 0x00, 0x00 }, Http3ErrorCode.MissingSettings, Description = "DATA as the first control frame")]
    [TestCase(new byte[] { 0x00, 0x04, 0x00, 0x04, 0x00 }, Http3ErrorCode.FrameUnexpected, Description = "second SETTINGS")]
    [TestCase(new byte[] { 0x00, 0x04, 0x00, 0x00, 0x00 }, Http3ErrorCode.FrameUnexpected, Description = "DATA on the control stream")]
    [TestCase(new byte[] { 0x00, 0x04, 0x02, 0x02, 0x00 }, Http3ErrorCode.SettingsError, Description = "HTTP/2 setting")]
    [TestCase(new byte[] { 0x00, 0x04, 0x00, 0x07, 0x01, 0x01 }, Http3ErrorCode.IdError, Description = "GOAWAY with a non-request stream ID")]
    [TestCase(new byte[] { 0x00, 0x04, 0x00, 0x07, 0x02 }, Http3ErrorCode.FrameError, Description = "truncated GOAWAY then FIN")]
    public async Task ControlStreamViolations_CloseTheConnection(byte[] bytes, Http3ErrorCode expected)
    {
        // A raw peer whose control stream carries the bytes; our client is the victim.
        var (c, s) = Transport.InMemoryH3Transport.CreatePair();
        var client = await Http3ClientConnection.CreateAsync(c, new Http3Options(), CancellationToken.None);
        var control = await s.OpenStreamAsync(false, CancellationToken.None);
        await control.WriteAsync(bytes, true, CancellationToken.None);
        await c.Closed.WaitAsync(InMemoryPair.Timeout);
        Assert.That(c.CloseErrorCode, Is.EqualTo((long)expected));
        await client.DisposeAsync();
    }

    [Test]
    public async Task SecondControlStream_IsStreamCreationError()
    {
        await using var pair = await InMemoryPair.StartAsync(_ => Task.CompletedTask);
        var control = await pair.ClientTransport.OpenStreamAsync(false, CancellationToken.None);
        await control.WriteAsync(new byte[] { 0x00, 0x04, 0x00 }, false, CancellationToken.None);
        await pair.ServerTransport.Closed.WaitAsync(InMemoryPair.Timeout);
        Assert.That(pair.ServerTransport.CloseErrorCode, Is.EqualTo((long)Http3ErrorCode.StreamCreationError));
    }

    [Test]
    public async Task QpackReferenceToMissingEntry_IsDecompressionFailed()
    {
        await using var pair = await InMemoryPair.StartAsync(_ => Task.CompletedTask);
        var stream = await pair.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        // HEADERS whose section names dynamic entries while the table is empty: Required Insert Count 0, relative index 0.
        await stream.WriteAsync(new byte[] { 0x01, 0x03, 0x00, 0x00, 0x80 }, true, CancellationToken.None);
        await pair.ServerTransport.Closed.WaitAsync(InMemoryPair.Timeout);
        Assert.That(pair.ServerTransport.CloseErrorCode, Is.EqualTo((long)Http3ErrorCode.QpackDecompressionFailed));
    }

    [Test]
    public async Task ServerGoAway_LetsInFlightRequestsFinish_AndRefusesNewOnes()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        await using var pair = await InMemoryPair.StartAsync(async ctx =>
        {
            started.TrySetResult();
            await release.Task;
            await ctx.ResponseBody.WriteAsync("done"u8.ToArray());
        });
        using var http = pair.CreateHttpClient();
        var inflight = http.GetStringAsync("/slow");
        await started.Task.WaitAsync(InMemoryPair.Timeout);
        var shutdown = pair.Server.ShutdownAsync();
        await WaitUntil(() => pair.Client.IsGoingAway);
        Assert.ThrowsAsync<HttpRequestException>(async () => await pair.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://localhost/new")));
        release.SetResult();
        Assert.That(await inflight.WaitAsync(InMemoryPair.Timeout), Is.EqualTo("done"));
        await shutdown.WaitAsync(InMemoryPair.Timeout);
        await pair.ClientTransport.Closed.WaitAsync(InMemoryPair.Timeout);
        Assert.That(pair.ClientTransport.CloseErrorCode, Is.EqualTo((long)Http3ErrorCode.NoError));
    }

    [Test]
    public async Task ClientGoAway_ClosesGracefully()
    {
        await using var pair = await InMemoryPair.StartAsync(async ctx => await ctx.ResponseBody.WriteAsync("x"u8.ToArray()));
        using var http = pair.CreateHttpClient();
        Assert.That(await http.GetStringAsync("/"), Is.EqualTo("x"));
        await pair.Client.ShutdownAsync(new CancellationTokenSource(InMemoryPair.Timeout).Token);
        await pair.ServerTransport.Closed.WaitAsync(InMemoryPair.Timeout);
        Assert.That(pair.ServerTransport.CloseErrorCode, Is.EqualTo((long)Http3ErrorCode.NoError));
    }

    [Test]
    public async Task PeerThatNeverReads_BackpressuresTheWriter()
    {
        long written = 0;
        var blocked = new TaskCompletionSource();
        await using var pair = await InMemoryPair.StartAsync(async ctx =>
        {
            var chunk = new byte[16 * 1024];
            for (int i = 0; i < 10_000; i++)
            {
                var write = ctx.ResponseBody.WriteAsync(chunk, ctx.RequestAborted);
                if (!write.IsCompleted)
                    blocked.TrySetResult();
                await write;
                Interlocked.Add(ref written, chunk.Length);
            }
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://localhost/big");
        using var response = await pair.Client.SendAsync(request);
        // The client never reads the body: the server's writes must stall instead of buffering 160 MB.
        await blocked.Task.WaitAsync(InMemoryPair.Timeout);
        await Task.Delay(200);
        Assert.That(Interlocked.Read(ref written), Is.LessThan(4L << 20));
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + InMemoryPair.Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail("condition not reached in time");
            await Task.Delay(10);
        }
    }
}
