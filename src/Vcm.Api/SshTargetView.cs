namespace Vcm.Api;

/// <summary>
/// How to reach a node's SSH server from outside: an address and port on the site's external network that the
/// cluster's gateway forwards to the node, the host key the node reported (to pin), and — in a lab — the network
/// namespace that is the external network. The cluster's admin private key only when asked for (admins only).
/// </summary>
public sealed record SshTargetView(
    string Node,
    string Address,
    int Port,
    string User,
    string? HostKey,
    string? Fingerprint,
    string? Netns,
    string? AdminPrivateKey);
