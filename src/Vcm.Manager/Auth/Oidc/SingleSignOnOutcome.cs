using Vcm.Store.Records;

namespace Vcm.Manager.Auth.Oidc;

/// <summary>A sign-in through the identity provider: its user, or why it was refused (a sentence for the user).</summary>
public sealed record SingleSignOnOutcome(UserRecord? User, string? Refusal)
{
    public static SingleSignOnOutcome Refused(string why) => new(null, why);
}
