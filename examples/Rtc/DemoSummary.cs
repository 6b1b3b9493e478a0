using Spectre.Console;

namespace Rtc;

/// <summary>Prints the demo's result.</summary>
public static class DemoSummary
{
    /// <summary>Writes the summary table and the recordings' paths.</summary>
    public static void Write(IAnsiConsole console, DemoResult result)
    {
        console.WriteLine($"call setup (dial to answered): {result.SetupTime.TotalMilliseconds:0} ms; dial to media on both sides: {result.MediaTime.TotalMilliseconds:0} ms; ended: {result.EndReason}");
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in new[] { "direction", "codec", "sent Hz", "heard Hz", "packets sent", "received", "lost", "jitter", "RTT", "MOS" }) table.AddColumn(c);
        foreach (var d in new[] { result.AliceToBob, result.BobToAlice })
        {
            var heard = d.DetectedHz is { } hz ? $"{hz:0}" : "silence";
            table.AddRow($"{d.From} -> {d.To}", Markup.Escape(d.Sender.Codec), $"{d.SentHz:0}", d.Heard ? $"[green]{heard}[/]" : $"[red]{heard}[/]",
                d.Sender.PacketsSent.ToString(), d.Receiver.PacketsReceived.ToString(), $"{d.Receiver.PacketsLost} ({d.Receiver.LossRate:P1})",
                $"{d.Receiver.Jitter.TotalMilliseconds:0.0} ms", d.Receiver.RttText, $"{d.Receiver.MeanOpinionScore:0.00}");
        }
        console.Write(table);
        foreach (var d in new[] { result.AliceToBob, result.BobToAlice }) console.WriteLine($"{d.To} heard: {d.RecordingPath}");
        console.MarkupLine(result.AliceToBob.Heard && result.BobToAlice.Heard ? "[green]both directions heard the expected tone[/]" : "[red]a direction did not hear its tone[/]");
    }
}
