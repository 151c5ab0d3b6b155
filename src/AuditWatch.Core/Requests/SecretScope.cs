namespace AuditWatch.Core.Requests;

/// <summary>How much a Secret read exposes: one object, every Secret of a namespace, or every Secret of the cluster.</summary>
public enum SecretScope
{
    Object,
    Namespace,
    Cluster,
}
