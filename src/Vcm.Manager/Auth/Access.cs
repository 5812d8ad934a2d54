using Vcm.Domain.Tenancy;

namespace Vcm.Manager.Auth;

/// <summary>Who may call a route: anyone (the handler checks a token in the body, or nothing is secret), agents, peers, and users holding a role.</summary>
public sealed record Access(bool Anyone = false, bool Agents = false, bool Peers = false, Role? Users = null)
{
    public static readonly Access Public = new(Anyone: true);

    public static readonly Access AgentsOnly = new(Agents: true);

    public static readonly Access PeersOnly = new(Peers: true);

    public static Access UsersWith(Role role) => new(Users: role);

    public Access AndAgents() => this with { Agents = true };

    public bool Allows(Caller caller) => caller.Kind switch
    {
        CallerKind.User => Users is { } role && caller.Role.Holds(role),
        CallerKind.Agent => Agents,
        CallerKind.Peer => Peers,
        _ => false,
    };

    public override string ToString()
    {
        if (Anyone)
        {
            return "anyone";
        }

        var who = new List<string>();
        if (Users is { } role)
        {
            who.Add($"users with role {Roles.Name(role)} or above");
        }

        if (Agents)
        {
            who.Add("this site's agents");
        }

        if (Peers)
        {
            who.Add("peer sites");
        }

        return string.Join(" or ", who);
    }
}
