using System.CommandLine;

namespace RtcClient.Benchmarks.Calls;

/// <summary>The command line of the call harnesses.</summary>
internal static class CallCommands
{
    public static bool Handles(string command) => command is "call-setup" or "call-capacity";

    public static RootCommand Build()
    {
        var iterations = new Option<int>("--iterations") { Description = "Calls to time (after one warm-up call)", DefaultValueFactory = _ => 20 };
        var delay = new Option<int>("--one-way-delay-ms") { Description = "Delay the proxy adds in each direction", DefaultValueFactory = _ => 25 };
        var setup = new Command("call-setup", "Dial to answered and dial to first media at the callee, on fresh connections through a delay proxy") { iterations, delay };
        setup.SetAction((r, ct) => CallSetupBenchmark.RunAsync(r.GetValue(iterations), r.GetValue(delay), ct));

        var calls = new Option<int>("--calls") { Description = "Concurrent calls", DefaultValueFactory = _ => 200 };
        var pairs = new Option<int>("--client-pairs") { Description = "Caller/callee client pairs (connections) the calls are spread over; 0 picks enough for 16 media sessions per connection", DefaultValueFactory = _ => 0 };
        var seconds = new Option<int>("--seconds") { Description = "Measured media time", DefaultValueFactory = _ => 10 };
        var audio = new Option<bool>("--audio") { Description = "Use the SDK's call audio (encode, relay, jitter buffer, decode) instead of raw 20 ms datagrams" };
        var codec = new Option<string>("--codec") { Description = "With --audio: the codec both sides advertise (pcmu: G.711 only; opus: the default advertisement, which prefers Opus)", DefaultValueFactory = _ => "pcmu" };
        codec.AcceptOnlyFromAmong("pcmu", "opus");
        var capacity = new Command("call-capacity", "N concurrent calls with 20 ms media both ways in one server process") { calls, pairs, seconds, audio, codec };
        capacity.SetAction((r, ct) => r.GetValue(audio)
            ? CallAudioCapacity.RunAsync(r.GetValue(calls), r.GetValue(pairs), r.GetValue(seconds), r.GetValue(codec)!, ct)
            : CallCapacityBenchmark.RunAsync(r.GetValue(calls), r.GetValue(pairs), r.GetValue(seconds), ct));

        return new RootCommand("RtcClient call benchmarks") { setup, capacity };
    }
}
