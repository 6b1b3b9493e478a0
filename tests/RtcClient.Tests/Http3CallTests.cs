using RtcClient.Http3;
using RtcClient.Media;
using RtcClient.Tests.Media;
using RtcClient.Protocol;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;

namespace RtcClient.Tests;

/// <summary>Calls over the SDK's own HTTP/3 (signaling) and WebTransport (media) on loopback UDP.</summary>
[CancelAfter(90_000)]
public class Http3CallTests
{
    private static readonly string[] Users = ["alice", "bob"];

    private static Task<RiptServerHost> StartServerAsync() => RiptServerHost.StartAsync(new RiptServerHostOptions
    {
        Tokens = new StaticTokenValidator(Users.ToDictionary(u => u + "-token", u => u)),
    });

    private static Task<CallClient> ConnectAsync(RiptServerHost server, string name, CancellationToken cancellationToken)
        => CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.Uri, Token = name + "-token", Name = name, PinnedCertificateSha256 = [server.CertificateSha256],
        }, cancellationToken);

    /// <summary>A client on its own HTTP/3 connection whose calls open no media (the test drives raw sessions on that connection).</summary>
    private static Task<CallClient> ConnectRawAsync(RiptServerHost server, string name, Http3Handler handler, CancellationToken cancellationToken)
        => CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.Uri, Token = name + "-token", Name = name, HttpHandler = handler, MediaTransport = new NoCallMedia(),
        }, cancellationToken);

    private static async Task<byte[]> ReceiveAsync(IMediaSession session, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        int n = await session.ReceiveAsync(buffer, timeout.Token);
        return buffer[..n];
    }

    [Test]
    public async Task CallIsPlacedAnsweredAndCarriesMediaOverHttp3AndWebTransport(CancellationToken cancellationToken)
    {
        await using var server = await StartServerAsync();
        // The calls' own media stays closed (it would reopen its session and displace the raw ones below).
        using var aliceHandler = new Http3Handler(new Http3ClientOptions { PinnedCertificateSha256 = [server.CertificateSha256] });
        using var bobHandler = new Http3Handler(new Http3ClientOptions { PinnedCertificateSha256 = [server.CertificateSha256] });
        await using var alice = await ConnectRawAsync(server, "alice", aliceHandler, cancellationToken);
        await using var bob = await ConnectRawAsync(server, "bob", bobHandler, cancellationToken);

        var incoming = bob.IncomingCallsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        Assert.That(await incoming.MoveNextAsync(), Is.True);
        var bobCall = incoming.Current;
        await bobCall.AnswerAsync(cancellationToken: cancellationToken);
        await call.WaitForStatusAsync(CallStatus.Answered, cancellationToken);

        await using var aliceMedia = await new WebTransportMediaTransport(aliceHandler).OpenAsync(new Uri(server.Uri, call.MediaUri), "alice-token", cancellationToken);
        await using var bobMedia = await new WebTransportMediaTransport(bobHandler).OpenAsync(new Uri(server.Uri, bobCall.MediaUri), "bob-token", cancellationToken);
        Assert.That(aliceMedia.MaxDatagramSize, Is.GreaterThan(1000));

        // Both sessions must be attached at the relay before datagrams can cross: retry the first one.
        byte[] rtp = [2, 0x80, 0x00, 0x00, 0x07, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        byte[]? got = null;
        for (int attempt = 0; attempt < 50 && got is null; attempt++)
        {
            aliceMedia.TrySend(rtp);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromMilliseconds(200));
            var buffer = new byte[2048];
            try { got = buffer[..await bobMedia.ReceiveAsync(buffer, wait.Token)]; }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
        }
        Assert.That(got, Is.Not.Null, "no datagram crossed the relay");
        Assert.That(got![0], Is.EqualTo(4), "forwarded on the callee's receive flow");
        Assert.That(got[1..], Is.EqualTo(rtp[1..]));

        Assert.That(bobMedia.TrySend([2, 0x80, 1, 2, 3]), Is.True);
        Assert.That((await ReceiveAsync(aliceMedia, cancellationToken))[0], Is.EqualTo(4));

        await bobCall.HangupAsync(cancellationToken);
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(call.EndReason, Is.EqualTo(EndReason.Hangup));
    }

    [Test]
    public async Task MediaSessionForAnotherClientsCallIsRefused(CancellationToken cancellationToken)
    {
        await using var server = await StartServerAsync();
        await using var alice = await ConnectAsync(server, "alice", cancellationToken);
        await using var bob = await ConnectAsync(server, "bob", cancellationToken);
        await using var call = await alice.PlaceCallAsync("bob", cancellationToken: cancellationToken);
        Assert.CatchAsync<Exception>(async () =>
            await bob.MediaTransport!.OpenAsync(new Uri(server.Uri, call.MediaUri), "bob-token", cancellationToken));
        Assert.CatchAsync<Exception>(async () =>
            await alice.MediaTransport!.OpenAsync(new Uri(server.Uri, call.MediaUri), "wrong-token", cancellationToken));
    }
}
