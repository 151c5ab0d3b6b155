namespace AuditWatch.Fuzzing.Targets;

public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
        [new DecoderTarget(), new EnvelopesTarget(), new WebhookBodyTarget(), new RulesTarget(), new SigmaTarget()];

    public static IFuzzTarget Named(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"unknown target '{name}' (targets: {string.Join(", ", All.Select(t => t.Name))})", nameof(name));
}
