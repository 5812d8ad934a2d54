using Vcm.Store.Records;

namespace Vcm.Store.Auth;

/// <summary>What a single sign-on did to its user: the user as it now is, and whether its tenant or role changed.</summary>
public sealed record SingleSignOnUser(UserRecord User, bool Changed);
