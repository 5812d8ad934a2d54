namespace Vcm.Manager.Ssh;

/// <summary>
/// How the manager reaches a node's SSH server for a web shell: the gateway's external address and the node's
/// forwarded port, the network namespace that is the external network (a lab's; null when this host is on it), the
/// user, the host key the node reported (an OpenSSH public key line, pinned), and the cluster's admin key (PEM).
/// </summary>
public sealed record ShellTarget(string Address, int Port, string? Netns, string User, string HostKey, string PrivateKeyPem);
