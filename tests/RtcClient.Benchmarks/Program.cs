using BenchmarkDotNet.Running;

// Runs every benchmark class in this assembly; pass BenchmarkDotNet arguments (e.g. --filter) through.
if (args.Length > 0 && args[0] == "media-scenario")
    return RtcClient.Benchmarks.Media.MediaClockScenario.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
