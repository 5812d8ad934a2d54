using Xunit;
using Xunit.Sdk;

namespace Vcm.Agent.Tests.Conformance;

/// <summary>
/// A fact of a conformance suite: skipped, with the reason, when the concrete suite class carries a
/// <see cref="HostRequirementAttribute"/> this machine does not meet.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("Vcm.Agent.Tests.Conformance.ConformanceFactDiscoverer", "Vcm.Agent.Tests")]
public sealed class ConformanceFactAttribute : FactAttribute
{
}
