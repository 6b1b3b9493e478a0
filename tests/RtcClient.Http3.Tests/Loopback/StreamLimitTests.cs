using System.Net;

namespace RtcClient.Http3.Tests.Loopback;

/// <summary>
/// Too many streams: the server's QUIC MAX_STREAMS is the bound on requests in progress per connection, so a client
/// that asks for more waits for credit instead of growing the server's memory. (A peer that ignores the limit and
/// sends STREAM frames beyond it gets STREAM_LIMIT_ERROR: RtcClient.Quic.Tests' HostileInputTests.)
/// </summary>
[Category("Loopback")]
public class StreamLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task MoreRequestsThanTheStreamLimit_NeverMoreThanTheLimitInProgress_AllComplete()
    {
        const int Limit = 8;
        const int Requests = 40;
        int inFlight = 0, maxInFlight = 0, maxTracked = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new Http3ServerOptions { ServerCertificate = TestCertificate.Certificate };
        options.EndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        options.ConfigureQuic = q =>
        {
            q.KeyLogPath = "";
            q.MaxInboundBidirectionalStreams = Limit;
        };
        Http3Server? server = null;
        server = new Http3Server(options, async ctx =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            InterlockedMax(ref maxTracked, server!.Connections.Sum(c => c.ActiveRequestStreams.Count()));
            await release.Task;
            Interlocked.Decrement(ref inFlight);
            await ctx.ResponseBody.WriteAsync("ok"u8.ToArray());
        });
        await using (server)
        {
            await server.StartAsync();
            var uri = new Uri($"https://127.0.0.1:{server.LocalEndPoints[0].Port}/");
            await using var client = await Http3ClientConnection.ConnectAsync(uri, new Http3ClientOptions
            {
                PinnedCertificateSha256 = [TestCertificate.Sha256],
                ConfigureQuic = q => q.KeyLogPath = "",
            });
            using var cts = new CancellationTokenSource(Timeout);
            var requests = Enumerable.Range(0, Requests).Select(async i =>
            {
                using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(uri, "/r" + i)), cts.Token);
                return (response.StatusCode, await response.Content.ReadAsStringAsync(cts.Token));
            }).ToArray();

            var deadline = DateTime.UtcNow + Timeout;
            while (Volatile.Read(ref inFlight) < Limit)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"only {inFlight} requests reached the server");
                await Task.Delay(10);
            }

            Assert.That(requests.Count(r => r.IsCompleted), Is.Zero, "the others wait for stream credit, they do not fail");
            release.SetResult();
            var results = await Task.WhenAll(requests).WaitAsync(Timeout);
            Assert.That(results, Has.All.EqualTo((HttpStatusCode.OK, "ok")));
        }

        Assert.That(maxInFlight, Is.EqualTo(Limit), "requests in progress at once");
        Assert.That(maxTracked, Is.LessThanOrEqualTo(Limit), "request streams the server held at once");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
