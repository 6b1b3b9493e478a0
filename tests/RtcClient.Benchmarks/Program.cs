using BenchmarkDotNet.Running;
using RtcClient.Benchmarks.Calls;

// The call harnesses (call-setup, call-capacity) are commands; anything else goes to BenchmarkDotNet
// (e.g. --filter), which runs every benchmark class in this assembly.
if (args.Length > 0 && CallCommands.Handles(args[0])) return await CallCommands.Build().Parse(args).InvokeAsync();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
