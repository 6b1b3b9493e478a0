using RtcClient.Http3.Tests.Interop;
using RtcClient.Media.Io;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;
using RtcClient.Tests.Media;

namespace RtcClient.Tests.Examples;

/// <summary>
/// The browser phone (examples/Browser) in headless Chromium: signaling with fetch() and media in
/// WebTransport datagrams against the reference server on our HTTP/3, calling an SDK client.
/// </summary>
[Category("Interop")]
[CancelAfter(120_000)]
public class BrowserPhoneTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Browser_calls_an_sdk_client_with_audio_both_ways(CancellationToken cancellationToken)
    {
        await using var server = await RiptServerHost.StartAsync(new RiptServerHostOptions
        {
            Tokens = new StaticTokenValidator(new Dictionary<string, string> { ["browser-token"] = "browser", ["bob-token"] = "bob" }),
            WebRoot = BrowserDirectory(),
        }, cancellationToken);
        await using var bob = await CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.Uri, Token = "bob-token", Name = "bob", PinnedCertificateSha256 = [server.CertificateSha256],
        }, cancellationToken);
        var atBob = new ToneDetector(new AudioFormat(16000));
        var bobHearsTheBrowser = atBob.WaitForToneAsync(440, Timeout, cancellationToken);
        Call? answered = null;
        var bobAnswers = Task.Run(async () =>
        {
            await foreach (var call in bob.IncomingCallsAsync(cancellationToken))
            {
                answered = call;
                call.AudioSource = new ToneGenerator(new AudioFormat(48000), 8000, 660);
                call.AudioSink = atBob;
                await call.AnswerAsync(cancellationToken: cancellationToken);
                return;
            }
        }, cancellationToken);

        int port = server.Uri.Port;
        string hash = Convert.ToBase64String(server.CertificateSha256);
        string url = $"https://127.0.0.1:{port}/?auto=1&token=browser-token&name=browser&to=bob&tone=440&seconds=4&hash={Uri.EscapeDataString(hash)}";
        using var chromium = StartChromium(server, url);
        string? line = await chromium.WaitForLineAsync(l => l.Contains("RIPTRESULT", StringComparison.Ordinal), Timeout);
        Assert.That(line, Is.Not.Null, "no RIPTRESULT from Chromium:\n" + string.Join('\n', chromium.Lines.TakeLast(40)));
        TestContext.Out.WriteLine(line);
        Assert.That(line, Does.Not.Contain("ERROR"));
        Assert.That(line, Does.Contain("answered=true codec=PCMU"), "G.711 is all the browser advertises");
        Assert.That(line, Does.Contain("heard=660"), "the browser heard bob's tone");
        Assert.That(line, Does.Contain("ended=hangup"));
        Assert.That(Count(line, "sent="), Is.GreaterThan(100), "4 s of 20 ms frames sent by the browser");
        Assert.That(Count(line, "received="), Is.GreaterThan(100), "and received from bob");

        await bobAnswers.WaitAsync(Timeout, cancellationToken);
        await bobHearsTheBrowser;
        Assert.That(answered!.GetStatistics().AudioReceive!.PacketsReceived, Is.GreaterThan(100), "bob received the browser's packets");
        await answered.Completion.WaitAsync(Timeout, cancellationToken);
        Assert.That(answered.EndReason, Is.EqualTo(Protocol.EndReason.Hangup), "the browser hung up");
    }

    private static int Count(string line, string key)
    {
        int at = line.IndexOf(key, StringComparison.Ordinal) + key.Length;
        int end = line.IndexOf(' ', at);
        return int.Parse(line[at..(end < 0 ? line.Length : end)]);
    }

    private static PeerProcess StartChromium(RiptServerHost server, string url)
        => PeerProcess.StartChromium(server.Uri.Port, server.Certificate, url, "--autoplay-policy=no-user-gesture-required");

    internal static string BrowserDirectory()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "examples", "Browser")))
            dir = dir.Parent;
        return dir is null ? throw new DirectoryNotFoundException("examples/Browser") : Path.Combine(dir.FullName, "examples", "Browser");
    }
}
