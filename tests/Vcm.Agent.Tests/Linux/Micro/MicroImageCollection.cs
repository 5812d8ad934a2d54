using Xunit;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>The tests that share one built micro image (and never run at the same time: they boot VMs).</summary>
[CollectionDefinition(Name)]
public sealed class MicroImageCollection : ICollectionFixture<MicroImageFixture>
{
    public const string Name = "micro image";
}
