using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;

namespace AuditWatch.Rules.Prefiltering;

/// <summary>
/// What kind of request this is, apart from who sent it and which object it names: the few values that
/// <see cref="Fields.Field.OfShape"/> fields read. A busy cluster sends millions of requests of a few hundred shapes.
/// </summary>
public readonly record struct ShapeKey(
    string Verb,
    string? Resource,
    string? Subresource,
    string? ApiGroup,
    RequestOutcome Outcome,
    int? ResponseCode,
    IdentityKind IdentityKind,
    SecretScope? SecretScope,
    bool SecretPayload)
{
    public static ShapeKey Of(ApiRequest request) => new(
        request.Verb,
        request.Resource,
        request.Subresource,
        request.ApiGroup,
        request.Outcome,
        request.ResponseCode,
        request.Identity.Kind,
        request.SecretRead?.Scope,
        request.SecretPayload != Core.Events.SecretPayload.None);

    /// <summary>
    /// Equal, with the strings the very same instances: cheaper than <see cref="Equals(ShapeKey)"/>, and false for equal
    /// keys built from different instances, which the caller then looks up by value.
    /// </summary>
    public bool SameInstancesAs(in ShapeKey other) =>
        ReferenceEquals(Verb, other.Verb)
        && ReferenceEquals(Resource, other.Resource)
        && ReferenceEquals(Subresource, other.Subresource)
        && ReferenceEquals(ApiGroup, other.ApiGroup)
        && Outcome == other.Outcome
        && ResponseCode == other.ResponseCode
        && IdentityKind == other.IdentityKind
        && SecretScope == other.SecretScope
        && SecretPayload == other.SecretPayload;
}
