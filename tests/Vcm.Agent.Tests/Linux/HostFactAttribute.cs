using Xunit;
using Xunit.Sdk;

namespace Vcm.Agent.Tests.Linux;

/// <summary>A fact on a real host: skipped, with the reason, where the class's host requirement is not met.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("Vcm.Agent.Tests.Conformance.ConformanceFactDiscoverer", "Vcm.Agent.Tests")]
public sealed class HostFactAttribute : FactAttribute
{
}
