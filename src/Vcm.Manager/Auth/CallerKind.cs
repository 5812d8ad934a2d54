namespace Vcm.Manager.Auth;

/// <summary>Who is calling: a user (with a role), an agent of this site (with its key), or a peer site (with its key).</summary>
public enum CallerKind
{
    User,
    Agent,
    Peer,
}
