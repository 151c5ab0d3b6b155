using System.Diagnostics;
using AuditWatch.Detection.Evidence;

namespace AuditWatch.Detection.Windows;

/// <summary>
/// A distinct Secret (<c>count_distinct: secret.object</c>, what the shipped rules count): the value is the evidence's
/// object key, so it is kept once, 8 bytes less per read the window remembers.
/// </summary>
internal readonly record struct ObjectEntry(EvidenceItem Latest) : IDistinctEntry<ObjectEntry>
{
    public string Value => Latest.ObjectKey;

    public static ObjectEntry Of(string value, EvidenceItem latest)
    {
        Debug.Assert(string.Equals(value, latest.ObjectKey, StringComparison.Ordinal), "the value of secret.object is the evidence's object key");
        return new ObjectEntry(latest);
    }
}
