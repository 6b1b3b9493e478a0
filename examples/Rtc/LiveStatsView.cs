using RtcClient;
using Spectre.Console;

namespace Rtc;

/// <summary>
/// Shows live call statistics: a Spectre.Console live table on an interactive terminal, one plain line
/// per side every second when output is redirected (CI logs stay readable).
/// </summary>
public sealed class LiveStatsView
{
    private readonly IAnsiConsole _console;
    private readonly bool _interactive;

    /// <summary>Creates a view on <paramref name="console"/>; <paramref name="interactive"/> null detects the terminal.</summary>
    public LiveStatsView(IAnsiConsole console, bool? interactive = null)
    {
        _console = console;
        _interactive = interactive ?? (console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected);
    }

    /// <summary>Updates the display until <paramref name="until"/> completes.</summary>
    public async Task ShowAsync(IReadOnlyList<(string Name, Call Call)> calls, Task until, CancellationToken cancellationToken)
    {
        if (!_interactive)
        {
            while (!until.IsCompleted)
            {
                await Task.WhenAny(until, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var (name, call) in calls) _console.WriteLine(SideStats.Of(name, call).ToString());
            }
            return;
        }
        var table = NewTable();
        await _console.Live(table).AutoClear(false).StartAsync(async context =>
        {
            while (true)
            {
                table.Rows.Clear();
                foreach (var (name, call) in calls) AddRow(table, SideStats.Of(name, call), call.Status);
                context.Refresh();
                if (until.IsCompleted) break;
                await Task.WhenAny(until, Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }).ConfigureAwait(false);
    }

    private static Table NewTable()
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in new[] { "side", "status", "codec", "sent", "received", "lost", "jitter", "RTT", "MOS" }) table.AddColumn(c);
        return table;
    }

    private static void AddRow(Table table, SideStats s, CallStatus status)
        => table.AddRow(Markup.Escape(s.Name), status.ToString(), Markup.Escape(s.Codec), s.PacketsSent.ToString(), s.PacketsReceived.ToString(),
            $"{s.PacketsLost} ({s.LossRate:P1})", $"{s.Jitter.TotalMilliseconds:0.0} ms", s.RttText, $"{s.MeanOpinionScore:0.00}");
}
