using RtcClient.Media;
using RtcClient.Media.Io;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;

namespace RtcClient.Tests.Media;

/// <summary>Call media over the SDK's own HTTP/3 and WebTransport on loopback UDP.</summary>
[CancelAfter(90_000)]
public class Http3MediaCallTests
{
    [Test]
    public async Task ToneInEachDirectionIsHeardOverWebTransport(CancellationToken cancellationToken)
    {
        await using var server = await RiptServerHost.StartAsync(new RiptServerHostOptions
        {
            Tokens = new StaticTokenValidator(new Dictionary<string, string> { ["alice-token"] = "alice", ["bob-token"] = "bob" }),
        }, cancellationToken);
        await using var alice = await ConnectAsync(server, "alice", cancellationToken);
        await using var bob = await ConnectAsync(server, "bob", cancellationToken);
        Assert.That(alice.MediaTransport, Is.InstanceOf<WebTransportMediaTransport>());

        var (call, answered) = await MediaCallHarness.EstablishAsync(alice, bob, "bob", cancellationToken);
        call.AudioSource = new ToneGenerator(new AudioFormat(48000), 8000, 1000);
        answered.AudioSource = new ToneGenerator(new AudioFormat(48000), 8000, 600);
        var atBob = new ToneDetector(new AudioFormat(16000));
        var atAlice = new ToneDetector(new AudioFormat(16000));
        answered.AudioSink = atBob;
        call.AudioSink = atAlice;

        await Task.WhenAll(atBob.WaitForToneAsync(1000, TimeSpan.FromSeconds(15), cancellationToken),
            atAlice.WaitForToneAsync(600, TimeSpan.FromSeconds(15), cancellationToken));
        Assert.That(answered.GetStatistics().AudioReceive!.PacketsReceived, Is.GreaterThan(10));
        await call.HangupAsync(cancellationToken);
        await answered.Completion.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }

    private static Task<CallClient> ConnectAsync(RiptServerHost server, string name, CancellationToken cancellationToken)
        => CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.Uri, Token = name + "-token", Name = name, PinnedCertificateSha256 = [server.CertificateSha256],
        }, cancellationToken);
}
