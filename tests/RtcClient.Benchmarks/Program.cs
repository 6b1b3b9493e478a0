using BenchmarkDotNet.Running;

// Runs every benchmark class in this assembly; pass BenchmarkDotNet arguments (e.g. --filter) through.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
