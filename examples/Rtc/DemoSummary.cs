using Spectre.Console;

namespace Rtc;

/// <summary>Prints the demo's result.</summary>
public static class DemoSummary
{
    /// <summary>Writes the summary table and the recordings' paths.</summary>
    public static void Write(IAnsiConsole console, DemoResult result)
    {
        console.WriteLine($"dial to answered {result.SetupTime.TotalMilliseconds:0} ms, to media both ways {result.MediaTime.TotalMilliseconds:0} ms; ended: {result.EndReason}");
        console.WriteLine("packets: received/sent; tone: sent→heard (Goertzel on the recording)");
        // Eight narrow columns, so the table fits an 80-column terminal (and a CI log) without wrapping.
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in new[] { "direction", "codec", "tone Hz", "packets", "lost", "jitter", "RTT", "MOS" }) table.AddColumn(c);
        foreach (var d in new[] { result.AliceToBob, result.BobToAlice })
        {
            var heard = d.DetectedHz is { } hz ? $"{hz:0}" : "silence";
            table.AddRow($"{d.From}→{d.To}", Markup.Escape(d.Sender.Codec), $"{d.SentHz:0}→" + (d.Heard ? $"[green]{heard}[/]" : $"[red]{heard}[/]"),
                $"{d.Receiver.PacketsReceived}/{d.Sender.PacketsSent}", $"{d.Receiver.PacketsLost} ({d.Receiver.LossRate:0.0%})",
                $"{d.Receiver.Jitter.TotalMilliseconds:0.0} ms", d.Receiver.RoundTripTime is { } rtt ? $"{rtt.TotalMilliseconds:0} ms" : "-", $"{d.Receiver.MeanOpinionScore:0.00}");
        }
        console.Write(table);
        foreach (var d in new[] { result.AliceToBob, result.BobToAlice }) console.WriteLine($"{d.To} heard: {d.RecordingPath}");
        console.MarkupLine(result.AliceToBob.Heard && result.BobToAlice.Heard ? "[green]both directions heard the expected tone[/]" : "[red]a direction did not hear its tone[/]");
    }
}
