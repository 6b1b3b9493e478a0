using System.Net;
using RtcClient.Http3.Transport;
using RtcClient.Quic;

namespace RtcClient.Http3.Tests.Connection;

/// <summary>
/// A client that stops in the middle of a request loses the stream after the configured time: before HEADERS are
/// complete the stream is reset with H3_REQUEST_REJECTED, during the body the server stops reading and answers 408.
/// Either way the server forgets the stream and the connection goes on.
/// </summary>
public class StallTimeoutTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(300);

    private static Http3ServerOptions Options(TimeSpan headers, TimeSpan body) => new() { RequestHeadersTimeout = headers, RequestBodyTimeout = body };

    [Test]
    public async Task HeadersNeverFinished_StreamIsRejectedAfterTheTimeout_AndFreed()
    {
        int handled = 0;
        await using var pair = await StartAsync(Options(Stall, TimeSpan.Zero), _ =>
        {
            Interlocked.Increment(ref handled);
            return Task.CompletedTask;
        });
        var stream = await pair.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        // A HEADERS frame that announces 100 bytes and carries 3.
        await stream.WriteAsync(new byte[] { 0x01, 0x40, 0x64, 0x00, 0x00, 0xd1 }, false, CancellationToken.None);
        var started = DateTime.UtcNow;
        var ex = Assert.ThrowsAsync<QuicException>(async () => await stream.ReadHeadersAsync(CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout));
        var waited = DateTime.UtcNow - started;
        Assert.That(ex!.ApplicationErrorCode, Is.EqualTo((long)Http3ErrorCode.RequestRejected));
        Assert.That(waited, Is.GreaterThanOrEqualTo(Stall - TimeSpan.FromMilliseconds(50)), "not before the timeout");
        await stream.DisposeAsync();

        await WaitUntilNoServerStreamsAsync(pair);
        Assert.That(handled, Is.Zero, "the handler never saw the incomplete request");
        using var http = pair.CreateHttpClient();
        using var ok = await http.GetAsync("/");
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the connection survives");
    }

    [Test]
    public async Task BodyStopsMidway_ServerAnswers408_StopsReading_AndFreesTheStream()
    {
        var handlerError = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = await StartAsync(Options(TimeSpan.Zero, Stall), async ctx =>
        {
            try
            {
                await ctx.RequestBody.CopyToAsync(Stream.Null);
            }
            catch (Exception e)
            {
                handlerError.TrySetResult(e);
                throw;
            }
        });
        var stream = await pair.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        await stream.WriteHeadersAsync([new(":method", "POST"), new(":scheme", "https"), new(":authority", "x"), new(":path", "/up"), new("content-length", "1000")], false, CancellationToken.None);
        await stream.WriteDataAsync(new byte[10], false, CancellationToken.None);

        var headers = await stream.ReadHeadersAsync(CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout);
        Assert.That(headers, Does.Contain(new HeaderField(":status", "408")));
        Assert.That(await handlerError.Task.WaitAsync(InMemoryPair.Timeout), Is.InstanceOf<IOException>(), "the handler's read failed");
        var stopped = Assert.ThrowsAsync<QuicException>(async () => await stream.WriteDataAsync(new byte[10], false, CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout));
        Assert.That(stopped!.ApplicationErrorCode, Is.EqualTo((long)Http3ErrorCode.RequestCancelled), "STOP_SENDING");
        await stream.DisposeAsync();
        await WaitUntilNoServerStreamsAsync(pair);
    }

    [Test]
    public async Task SlowButSteadyBody_IsNotCutOff()
    {
        // Each pause is well under the timeout while the whole upload takes several times longer.
        var timeout = TimeSpan.FromSeconds(2);
        await using var pair = await StartAsync(Options(timeout, timeout), async ctx =>
        {
            var body = new MemoryStream();
            await ctx.RequestBody.CopyToAsync(body);
            ctx.ResponseHeaders.Add(new("x-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
        var stream = await pair.Client.Connection.OpenRequestStreamAsync(CancellationToken.None);
        await stream.WriteHeadersAsync([new(":method", "POST"), new(":scheme", "https"), new(":authority", "x"), new(":path", "/up")], false, CancellationToken.None);
        var started = DateTime.UtcNow;
        int chunks = 0;
        while (DateTime.UtcNow - started < timeout * 2)
        {
            await stream.WriteDataAsync(new byte[100], false, CancellationToken.None);
            chunks++;
            await Task.Delay(timeout / 10);
        }

        await stream.CompleteAsync(CancellationToken.None);
        var headers = await stream.ReadHeadersAsync(CancellationToken.None).AsTask().WaitAsync(InMemoryPair.Timeout);
        Assert.That(headers, Does.Contain(new HeaderField(":status", "200")));
        Assert.That(headers, Does.Contain(new HeaderField("x-length", (chunks * 100).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await stream.DisposeAsync();
    }

    [Test]
    public async Task AnAcceptedWebTransportSession_IsExemptFromTheBodyTimeout()
    {
        var serverSession = new TaskCompletionSource<WebTransport.WebTransportSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pair = await StartAsync(Options(Stall, Stall), async ctx => serverSession.TrySetResult(await ctx.AcceptWebTransportSessionAsync()));
        var session = await pair.Client.OpenWebTransportAsync(new Uri("https://localhost/wt")).WaitAsync(InMemoryPair.Timeout);
        var server = await serverSession.Task.WaitAsync(InMemoryPair.Timeout);
        // Idle for several timeouts, then still usable.
        await Task.Delay(Stall * 4);
        Assert.That(session.IsClosed || server.IsClosed, Is.False);
        await session.CloseAsync(3, "end");
        Assert.That((await server.Closed.WaitAsync(InMemoryPair.Timeout)).ErrorCode, Is.EqualTo(3u));
    }

    private static async Task<InMemoryPair> StartAsync(Http3ServerOptions options, Func<Http3RequestContext, Task> handler)
        => await InMemoryPair.StartAsync(handler, options);

    private static async Task WaitUntilNoServerStreamsAsync(InMemoryPair pair)
    {
        var deadline = DateTime.UtcNow + InMemoryPair.Timeout;
        while (pair.Server.Connections.Single().ActiveRequestStreams.Any())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the server still holds the stalled stream");
            await Task.Delay(10);
        }
    }
}
