using Vcm.Agent.Tests.Sim;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Vcm.Agent.Tests.Conformance;

public sealed class ConformanceFactDiscovererTests
{
    private const string NeverSet = "VCM_TEST_CONFORMANCE_NEVER_SET_3F9A";

    /// <summary>Abstract, so xunit does not run it; only discovered by hand below.</summary>
    [RequiresEnvironment(NeverSet)]
    public abstract class UnmetSuite : ImageDriverConformance
    {
    }

    private static List<IXunitTestCase> Discover(Type suite)
    {
        var testClass = new TestClass(new TestCollection(new TestAssembly(Reflector.Wrap(suite.Assembly)), null, "conformance"), Reflector.Wrap(suite));
        var method = new TestMethod(testClass, Reflector.Wrap(suite.GetMethod(nameof(ImageDriverConformance.DeleteDisk_NeverMade_IsAbsent))!));
        var fact = method.Method.GetCustomAttributes(typeof(FactAttribute)).Single();
        var sink = new NullMessageSink();
        return new ConformanceFactDiscoverer(sink).Discover(new DiscoveryOptions(), method, fact).ToList();
    }

    [Fact]
    public void Discover_UnmetRequirement_SkipsWithTheReason()
    {
        Assert.Null(Environment.GetEnvironmentVariable(NeverSet));

        var testCase = Assert.Single(Discover(typeof(UnmetSuite)));

        Assert.Equal($"set {NeverSet} to run this suite", testCase.SkipReason);
    }

    [Fact]
    public void Discover_NoRequirement_RunsTheTest()
    {
        var testCase = Assert.Single(Discover(typeof(SimImageDriverConformanceTests)));

        Assert.Null(testCase.SkipReason);
    }
}
