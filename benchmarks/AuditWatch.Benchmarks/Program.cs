using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AuditWatch.Benchmarks.DecoderBenchmarks).Assembly).Run(args);
