namespace AuditWatch.Fuzzing.Targets;

public enum InputDialect
{
    Json,
    Yaml,
}
