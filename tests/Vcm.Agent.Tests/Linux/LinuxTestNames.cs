using System.Security.Cryptography;

namespace Vcm.Agent.Tests.Linux;

/// <summary>Names for objects a test makes on a host, in the conformance suites' style: "vc-t" + 6 hex digits + "-" + suffix.</summary>
public sealed class LinuxTestNames
{
    public string Prefix { get; } = "vc-t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    public string Name(string suffix) => $"{Prefix}-{suffix}";

    public string Mac(int index) => $"52:54:00:{Prefix[^6..^4]}:{Prefix[^4..^2]}:{index:x2}";

    public string Initiator(string node) => $"iqn.2026-11.io.vcm.test:{Prefix}-{node}";
}
