namespace AuditWatch.Core.Requests;

public enum IdentityKind
{
    Human,
    ServiceAccount,
    Node,
    ControlPlane,
    Anonymous,
}
