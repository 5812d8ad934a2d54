namespace Vcm.Drivers.Network;

/// <summary>
/// A node the gateway serves: its DHCP lease and DNS name, the metadata only it may read (its token proves who
/// asks), the port on the gateway's external address that forwards to its SSH server (0: none), and what the
/// cluster's set-up needs to know of it (head or worker, CPUs and memory for a Slurm node list). <see cref="HostKey"/>
/// is the node's SSH host private key (OpenSSH format, <see cref="SshHostKey"/>) when the manager made one: served to
/// that node only, which installs it instead of making its own; null: the node makes its own.
/// </summary>
public sealed record GatewayNode(
    string Name,
    string Mac,
    string Ip,
    IReadOnlyList<string> SshKeys,
    string? UserScript = null,
    string Token = "",
    int SshPort = 0,
    bool Head = false,
    int Cpus = 0,
    long MemoryMb = 0,
    string? HostKey = null);
