using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Windows;

/// <summary>One value of a <see cref="RecentDistinctValues{TEntry}"/> with the evidence of its latest request.</summary>
internal interface IDistinctEntry<TSelf>
    where TSelf : struct, IDistinctEntry<TSelf>
{
    string Value { get; }

    EvidenceItem Latest { get; }

    static abstract TSelf Of(string value, EvidenceItem latest);
}
