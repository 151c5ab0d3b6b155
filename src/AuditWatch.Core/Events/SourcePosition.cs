namespace AuditWatch.Core.Events;

/// <summary>
/// Where an item came from: a source name (file path, "webhook", a Kafka topic), the line it starts on, and its index
/// inside an EventList or JSON array (-1 when it stood alone on its line).
/// </summary>
public readonly record struct SourcePosition(string Source, long Line, long Item = -1)
{
    public override string ToString() => Item >= 0
        ? $"{Source}:{Line} items[{Item}]"
        : $"{Source}:{Line}";
}
