namespace Vcm.Agent.Linux.Network;

/// <summary>One channel of a relay end: its socat's two addresses, and how to tell it listens.</summary>
internal sealed record RelayChannel(string Name, IReadOnlyList<string> Addresses, Func<int, bool> Ready, string Listening);
