using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Windows;

/// <summary>A distinct value of any field, kept beside its evidence.</summary>
internal readonly record struct ValueEntry(string Value, EvidenceItem Latest) : IDistinctEntry<ValueEntry>
{
    public static ValueEntry Of(string value, EvidenceItem latest) => new(value, latest);
}
