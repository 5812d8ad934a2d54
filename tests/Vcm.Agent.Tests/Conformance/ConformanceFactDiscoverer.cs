using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Vcm.Agent.Tests.Conformance;

/// <summary>Discovers <see cref="ConformanceFactAttribute"/> tests, skipping them when the suite's host requirements are unmet.</summary>
public sealed class ConformanceFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var unmet = UnmetRequirement(testMethod.TestClass.Class);
        if (unmet is null)
        {
            return base.Discover(discoveryOptions, testMethod, factAttribute);
        }

        return [new XunitSkippedDataRowTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, unmet)];
    }

    /// <summary>The first unmet requirement of the suite class, or null.</summary>
    public static string? UnmetRequirement(ITypeInfo suite)
    {
        if (suite is not IReflectionTypeInfo reflected)
        {
            return null;
        }

        return reflected.Type.GetCustomAttributes<HostRequirementAttribute>(inherit: true)
            .Select(r => r.Unmet())
            .FirstOrDefault(reason => reason is not null);
    }
}
