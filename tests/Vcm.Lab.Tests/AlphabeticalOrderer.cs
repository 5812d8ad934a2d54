using Xunit.Abstractions;
using Xunit.Sdk;

namespace Vcm.Lab.Tests;

/// <summary>Runs a class's tests in the order of their names: the lab tests build on each other (A_, B_ …).</summary>
public sealed class AlphabeticalOrderer : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);
}
