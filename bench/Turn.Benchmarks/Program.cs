using BenchmarkDotNet.Running;

// `--filter '*' --job short` runs them all briefly; `--list flat` names them.
// `session-allocations [sessions]`: bytes and types allocated per session setup (SessionAllocationProfile).
if (args is ["session-allocations", ..]) return Turn.Benchmarks.SessionAllocationProfile.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Turn.Benchmarks.StunCodecBenchmarks).Assembly).Run(args);
return 0;
