using BenchmarkDotNet.Running;

// Runs every benchmark class in this assembly; pass BenchmarkDotNet arguments (e.g. --filter) through.
// Scenario modes measure whole pipelines or client/server pairs over loopback instead.
if (args.Length > 0 && args[0] == "media-scenario")
    return RtcClient.Benchmarks.Media.MediaClockScenario.Run(args);
if (args is ["quic-bulk" or "quic-dgram", ..]) return await RtcClient.Benchmarks.Quic.QuicLoopbackScenarios.RunAsync(args[0]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
