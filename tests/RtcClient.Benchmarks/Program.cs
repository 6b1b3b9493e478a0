using BenchmarkDotNet.Running;
using RtcClient.Benchmarks.Calls;

// Scenario modes measure whole pipelines or client/server pairs over loopback; anything else goes to
// BenchmarkDotNet (e.g. --filter), which runs every benchmark class in this assembly.
if (args.Length > 0 && args[0] == "media-scenario")
    return RtcClient.Benchmarks.Media.MediaClockScenario.Run(args);
if (args is ["quic-bulk" or "quic-dgram", ..]) return await RtcClient.Benchmarks.Quic.QuicLoopbackScenarios.RunAsync(args[0]);
if (args is ["h3-requests", ..]) return await RtcClient.Benchmarks.Http3.RequestRateScenario.RunAsync(args);
if (args.Length > 0 && CallCommands.Handles(args[0])) return await CallCommands.Build().Parse(args).InvokeAsync();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
