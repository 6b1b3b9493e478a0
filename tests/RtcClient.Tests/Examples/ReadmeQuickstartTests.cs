using RtcClient.Media.Io;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;
using RtcExamples;

namespace RtcClient.Tests.Examples;

/// <summary>The README's quickstart, as written there, against an embedded server where bob answers with 660 Hz.</summary>
[CancelAfter(60_000)]
public class ReadmeQuickstartTests
{
    [Test]
    public async Task QuickstartPlacesACallAndRecordsTheFarEnd(CancellationToken cancellationToken)
    {
        await using var server = await RiptServerHost.StartAsync(new RiptServerHostOptions
        {
            Tokens = new StaticTokenValidator(new Dictionary<string, string> { ["A"] = "alice", ["B"] = "bob" }),
        }, cancellationToken);
        await using var bob = await CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.Uri, Token = "B", Name = "bob", PinnedCertificateSha256 = [server.CertificateSha256],
        }, cancellationToken);
        bob.IncomingCall += (_, c) =>
        {
            c.AudioSource = new ToneGenerator(new AudioFormat(48000), 8000, 660);
            _ = c.AnswerAsync(cancellationToken: cancellationToken);
        };
        string token = "A", pin = CertificatePin.Format(server.CertificateSha256);
        var dir = Path.Combine(Path.GetTempPath(), "rtc-quickstart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        
        
        try
        {
            // --- README quickstart (server URI and file path from the test) ---
            // Kept as the README shows it, without cancellation tokens; the class-level timeout bounds it.
#pragma warning disable CA2016
            RtcClient.Media.CallStatistics statistics;
            long recordedFrames;
            {
                await using var client = await CallClient.ConnectAsync(new RtcClientOptions
                {
                    ServerUri = server.Uri, Token = token, Name = "alice",
                    PinnedCertificateSha256 = [Convert.FromHexString(pin)],
                });
                await using var call = await client.PlaceCallAsync("bob");
                var format = new AudioFormat(48000);
                call.AudioSource = new ToneGenerator(format, 8000, 440);
                using var heard = new WavFileSink(Path.Combine(dir, "heard.wav"), format);
                call.AudioSink = heard;
                await call.WaitForStatusAsync(CallStatus.Answered);
                await Task.Delay(TimeSpan.FromSeconds(5));
                Console.WriteLine($"MOS {call.GetStatistics().AudioReceive?.MeanOpinionScore:0.00}");
                await call.HangupAsync();
                statistics = call.GetStatistics();
                recordedFrames = heard.Frames;
            }
#pragma warning restore CA2016
            // --- end of quickstart ---

            Assert.That(recordedFrames, Is.InRange(200, 260), "about 5 s of the far end recorded (20 ms frames)");
            Assert.That(ToneAnalysis.DominantFrequency(Path.Combine(dir, "heard.wav")), Is.EqualTo(660).Within(10));
            Assert.That(statistics.AudioReceive?.MeanOpinionScore, Is.GreaterThan(3.5));
        }
        finally
        {
            
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task ServerSnippetHostsAnEchoApplicationThatCallersHear(CancellationToken cancellationToken)
    {
        // --- README "The server side" (port 0 instead of 4433) ---
        await using var server = await RiptServerHost.StartAsync(new RiptServerHostOptions
        {
            EndPoint = System.Net.IPEndPoint.Parse("127.0.0.1:0"),
            Tokens = new StaticTokenValidator(new Dictionary<string, string> { ["A"] = "alice" }),
        }, cancellationToken);
        await server.RegisterApplicationAsync("echo", RtcClient.Server.Applications.EchoApplication.HandleAsync, cancellationToken);
        // --- end of snippet ---

        await using var alice = await CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = server.Uri, Token = "A", Name = "alice", PinnedCertificateSha256 = [server.CertificateSha256],
        }, cancellationToken);
        await using var call = await alice.PlaceCallAsync("echo", cancellationToken: cancellationToken);
        var heard = new Media.ToneDetector(new AudioFormat(16000));
        var echoed = heard.WaitForToneAsync(440, TimeSpan.FromSeconds(20), cancellationToken);
        call.AudioSource = new ToneGenerator(new AudioFormat(48000), 8000, 440);
        call.AudioSink = heard;
        await echoed;
        await call.HangupAsync(cancellationToken);
    }
}
