using Rtc;
using RtcExamples;

namespace RtcClient.Tests.Examples;

/// <summary>The core of 'rtc demo': a real call on loopback with a tone each way, recorded to WAV.</summary>
[CancelAfter(60_000)]
public class DemoCallTests
{
    [Test]
    public async Task DemoRecordsTheOtherSidesToneInEachDirection(CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rtc-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await DemoCall.RunAsync(new DemoOptions { OutputDirectory = dir, Duration = TimeSpan.FromSeconds(2) }, view: null, cancellationToken);

            Assert.That(result.AliceToBob.RecordingPath, Does.Exist);
            Assert.That(result.BobToAlice.RecordingPath, Does.Exist);
            // Measured again from the files, independent of the result's own analysis.
            Assert.That(ToneAnalysis.DominantFrequency(Path.Combine(dir, "bob-heard.wav")), Is.EqualTo(440).Within(10), "bob heard alice's 440 Hz");
            Assert.That(ToneAnalysis.DominantFrequency(Path.Combine(dir, "alice-heard.wav")), Is.EqualTo(660).Within(10), "alice heard bob's 660 Hz");
            Assert.That(result.AliceToBob.Heard && result.BobToAlice.Heard, Is.True);
            Assert.That(result.AliceToBob.Receiver.PacketsReceived, Is.GreaterThan(50), "2 s of 20 ms packets");
            Assert.That(result.BobToAlice.Receiver.PacketsReceived, Is.GreaterThan(50));
            Assert.That(result.SetupTime, Is.GreaterThan(TimeSpan.Zero).And.LessThan(TimeSpan.FromSeconds(10)));
            Assert.That(result.EndReason, Is.EqualTo(Protocol.EndReason.Hangup));

            var summary = Summary(result, width: 80);
            Assert.That(summary, Does.Contain("alice→bob").And.Contain("bob→alice"), summary);
            // Spectre wraps cells that do not fit: one line per table row means nothing wrapped at 80 columns.
            Assert.That(summary.Split('\n').Count(l => l.StartsWith('│')), Is.EqualTo(3), "header and two rows, none wrapped:\n" + summary);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static string Summary(DemoResult result, int width)
    {
        var text = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            Out = new Spectre.Console.AnsiConsoleOutput(text),
        });
        console.Profile.Width = width;
        DemoSummary.Write(console, result);
        return text.ToString();
    }

    [Test]
    public void ToneAnalysisFindsTheToneAndReportsSilence()
    {
        var format = new global::RtcClient.Media.Io.AudioFormat(16000);
        Assert.That(ToneAnalysis.DominantFrequency(Clips.Tone(format, 500, 8000, 1234), 16000), Is.EqualTo(1235).Within(5));
        Assert.That(ToneAnalysis.DominantFrequency(Clips.Silence(format, 500), 16000), Is.Null);
    }
}
