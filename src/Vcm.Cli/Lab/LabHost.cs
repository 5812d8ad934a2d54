namespace Vcm.Cli.Lab;

/// <summary>A lab host: a network namespace with an address on its site's management network and roles.</summary>
public sealed record LabHost(string Name, string Netns, string Address, IReadOnlyList<string> Roles, int AgentPort)
{
    public string AgentUrl => $"https://{Address}:{AgentPort}";
}
