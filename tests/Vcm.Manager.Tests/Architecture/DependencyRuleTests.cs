using System.Reflection;
using Xunit;

namespace Vcm.Manager.Tests.Architecture;

/// <summary>
/// The dependency rule: the domain does no I/O and knows nothing else of vcm; drivers know only the driver
/// abstractions (never the store, never the manager); the store knows only the domain.
/// </summary>
public sealed class DependencyRuleTests
{
    [Theory]
    [InlineData("Vcm.Domain", new string[0])]
    [InlineData("Vcm.Drivers", new string[0])]
    [InlineData("Vcm.Api", new[] { "Vcm.Domain" })]
    [InlineData("Vcm.Store", new[] { "Vcm.Domain" })]
    [InlineData("Vcm.Agent", new[] { "Vcm.Drivers" })]
    [InlineData("Vcm.Manager", new[] { "Vcm.Domain", "Vcm.Store", "Vcm.Drivers", "Vcm.Api" })]
    public void Assembly_ReferencesOnlyWhatItMay(string assembly, string[] allowed)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Vcm.", StringComparison.Ordinal))
            .Order()
            .ToList();

        Assert.Empty(references.Except(allowed));
    }

    [Fact]
    public void Domain_UsesNoIo()
    {
        var forbidden = new[] { "System.IO.File", "System.IO.Directory", "System.Net.Http", "System.Diagnostics.Process", "Microsoft.EntityFrameworkCore" };
        var domain = Assembly.Load("Vcm.Domain");
        var referenced = domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(referenced, n => n.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || n == "System.Net.Http");
        foreach (var type in domain.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                Assert.DoesNotContain(forbidden, f => method.ReturnType.FullName?.StartsWith(f, StringComparison.Ordinal) == true);
            }
        }
    }
}
