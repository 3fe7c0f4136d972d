using BenchmarkDotNet.Running;

// `--filter '*' --job short` runs them all briefly; `--list flat` names them.
BenchmarkSwitcher.FromAssembly(typeof(Turn.Benchmarks.StunCodecBenchmarks).Assembly).Run(args);
