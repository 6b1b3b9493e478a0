using System.Diagnostics;
using RtcClient.Quic.Driver;

namespace RtcClient.Quic.Tests.Api;

/// <summary>Stateless reset (RFC 9000 section 10.3) between our client and our server over real UDP.</summary>
[CancelAfter(30_000)]
public class StatelessResetLoopbackTests
{
    [Test]
    public async Task A_client_whose_server_lost_the_connection_is_reset_and_closes_at_once(CancellationToken ct)
    {
        await using var pair = await LoopbackPair.ConnectAsync(ct);
        // Something flows first, so both sides use their 1-RTT keys and the client its final connection ID.
        await using (var stream = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, ct))
        {
            await stream.WriteAsync(new byte[1000], completeWrites: true, ct);
            await using var inbound = await pair.Server.AcceptInboundStreamAsync(ct);
            await inbound.CopyToAsync(Stream.Null, ct);
        }

        // The server forgets the connection without a word, as after a crash and restart on the same key.
        var server = pair.Server.Driver;
        lock (server.Driver.Gate) server.Core.Abandon(MonotonicClock.Now);
        Assert.That(pair.Listener.ConnectionCount, Is.Zero, "the server holds no state for the connection");

        var elapsed = Stopwatch.StartNew();
        // Whatever the client sends next (a pending ACK, or this new stream's data) reaches an endpoint that
        // has no connection for it and answers with a Stateless Reset.
        try
        {
            await using var next = await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, ct);
            await next.WriteAsync(new byte[100], ct);
        }
        catch (QuicException)
        {
            // The reset already arrived.
        }
        await pair.Client.Closed.WaitAsync(TimeSpan.FromSeconds(5), ct);
        elapsed.Stop();

        var error = Assert.ThrowsAsync<QuicException>(async () => await pair.Client.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, ct));
        long resetsSent, answeredByClient;
        lock (server.Driver.Gate) resetsSent = pair.Listener.Driver.Endpoint.StatelessResetsSent;
        var clientDriver = pair.Client.Driver.Driver;
        lock (clientDriver.Gate) answeredByClient = clientDriver.Endpoint.StatelessResetsSent;
        TestContext.Out.WriteLine($"closed {elapsed.Elapsed.TotalMilliseconds:F0} ms after the server lost the connection; {resetsSent} reset(s) sent: {error!.Message}");
        Assert.Multiple(() =>
        {
            Assert.That(error.Error, Is.EqualTo(QuicError.ConnectionRefused));
            Assert.That(error.Message, Does.Contain("stateless reset"));
            Assert.That(resetsSent, Is.GreaterThanOrEqualTo(1));
            Assert.That(answeredByClient, Is.Zero, "the client's endpoint found the connection by the reset's token instead of answering it with a reset");
            // Promptly: on the first answer, not after the 30 s idle timeout or a PTO series.
            Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        });
    }
}
