using Xunit;

namespace Vcm.Agent.Tests.Linux;

/// <summary>
/// The real-host suites run one at a time (they boot VMs on a small machine) and share one test guest image and
/// one KVM probe.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LinuxHostCollection : ICollectionFixture<TestGuest>
{
    public const string Name = "linux host";
}
