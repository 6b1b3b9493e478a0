using System.Net;
using System.Security.Cryptography;
using RtcClient;
using RtcClient.Media.Io;
using RtcClient.Server.Auth;
using RtcClient.Server.Hosting;
using RtcExamples;
using Spectre.Console;

namespace Rtc;

/// <summary>'rtc serve', 'rtc call' and 'rtc answer'.</summary>
public static class EndpointCommands
{
    private static readonly AudioFormat Format = new(48000, 1, 20);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs a call server until cancelled (Ctrl+C).</summary>
    public static async Task<int> ServeAsync(IPEndPoint listen, IReadOnlyList<string> tokens, string? web, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in tokens)
        {
            int eq = t.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == t.Length - 1) throw new FormatException($"--token '{t}': expected NAME=TOKEN");
            table[t[(eq + 1)..]] = t[..eq];
        }
        if (table.Count == 0)
        {
            foreach (var name in new[] { "alice", "bob" }) table[Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()] = name;
        }
        await using var server = await RiptServerHost.StartAsync(new RiptServerHostOptions { EndPoint = listen, Tokens = new StaticTokenValidator(table), WebRoot = web }, cancellationToken).ConfigureAwait(false);
        console.MarkupLine($"[green]serving[/] {Markup.Escape(server.Uri.ToString())}");
        // Plain output for the values people copy: the console would wrap them at its width.
        Console.WriteLine($"certificate sha256: {CertificatePin.Format(server.CertificateSha256)}");
        foreach (var (token, name) in table) Console.WriteLine($"token {name}={token}");
        if (web is not null)
            Console.WriteLine($"browser phone: {server.Uri}?hash={Uri.EscapeDataString(Convert.ToBase64String(server.CertificateSha256))} (Chromium with --origin-to-force-quic-on={server.Uri.Authority})");
        console.WriteLine("Ctrl+C stops the server.");
        try { await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        console.WriteLine("stopping");
        return 0;
    }

    /// <summary>Places a call, plays and records, shows live statistics, hangs up after <paramref name="duration"/>.</summary>
    public static async Task<int> CallAsync(EndpointOptions endpoint, string to, TimeSpan duration, IAnsiConsole console, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        console.WriteLine($"calling {to}");
        await using var call = await client.PlaceCallAsync(to, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var media = Attach(call, endpoint);
        using (var ringing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            ringing.CancelAfter(AnswerTimeout);
            try { await call.WaitForStatusAsync(CallStatus.Answered, ringing.Token).ConfigureAwait(false); }
            catch (RtcException e)
            {
                console.MarkupLine($"[red]not answered:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
        }
        console.WriteLine($"answered by {call.To}");
        return await TalkAsync(call, endpoint.Name, Task.Delay(duration, cancellationToken), console, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for one incoming call, answers it, plays and records until either side hangs up.</summary>
    public static async Task<int> AnswerAsync(EndpointOptions endpoint, TimeSpan? duration, IAnsiConsole console, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        console.WriteLine($"registered as {endpoint.Name}; waiting for a call (Ctrl+C stops)");
        var incoming = client.IncomingCallsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var _ = incoming.ConfigureAwait(false);
        if (!await incoming.MoveNextAsync().ConfigureAwait(false))
        {
            console.MarkupLine("[red]the server closed the event stream[/]");
            return 1;
        }
        await using var call = incoming.Current;
        console.WriteLine($"call from {call.From}; answering");
        using var media = Attach(call, endpoint);
        await call.AnswerAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var until = duration is { } d ? Task.WhenAny(call.Completion, Task.Delay(d, cancellationToken)) : call.Completion;
        return await TalkAsync(call, endpoint.Name, until, console, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> TalkAsync(Call call, string name, Task until, IAnsiConsole console, CancellationToken cancellationToken)
    {
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(TimeSpan.FromSeconds(15));
            try { await call.MediaConnected.WaitAsync(wait.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is RtcException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                console.MarkupLine($"[red]media did not start:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
        }
        var stop = Task.WhenAny(until, call.Completion);
        try { await new LiveStatsView(console).ShowAsync([(name, call)], stop, cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
        var stats = SideStats.Of(name, call);
        if (call.Status != CallStatus.Ended)
        {
            using var end = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await call.HangupAsync(end.Token).ConfigureAwait(false);
        }
        console.WriteLine($"ended ({call.EndReason ?? "hangup"}); {stats}");
        return 0;
    }

    private static Task<CallClient> ConnectAsync(EndpointOptions endpoint, CancellationToken cancellationToken)
        => CallClient.ConnectAsync(new RtcClientOptions
        {
            ServerUri = endpoint.Server,
            Token = endpoint.Token,
            Name = endpoint.Name,
            // No pin: the normal chain and host name validation applies.
            PinnedCertificateSha256 = endpoint.Pin is null ? [] : [CertificatePin.Parse(endpoint.Pin)],
        }, cancellationToken);

    /// <summary>Sets the call's source (WAV file, looped, or a tone) and sink (WAV recording); disposing finishes the recording.</summary>
    private static WavFileSink? Attach(Call call, EndpointOptions endpoint)
    {
        if (endpoint.Play is { } play)
        {
            var player = new ClipPlayer(Format) { Loop = true };
            _ = player.PlayAsync(Clips.FromWav(play, Format));
            call.AudioSource = player;
        }
        else
        {
            call.AudioSource = new ToneGenerator(Format, 8000, endpoint.ToneHz);
        }
        if (endpoint.Record is null) return null;
        var sink = new WavFileSink(endpoint.Record, Format);
        call.AudioSink = sink;
        return sink;
    }
}
