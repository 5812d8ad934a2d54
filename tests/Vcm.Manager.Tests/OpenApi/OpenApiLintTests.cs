using Vcm.Manager.OpenApi;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Manager.Tests.OpenApi;

/// <summary>
/// The served documents pass `spectral lint` (spectral:oas) and `redocly lint` (recommended) with no error. Runs once,
/// in the SQLite suite (the documents do not depend on the database; ./test leaves it out of the PostgreSQL run).
/// </summary>
[Trait("Suite", "manager-sqlite")]
public sealed class OpenApiLintTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestSite _site = null!;
    private readonly TempDirectory _folder = new("vcm-openapi-lint");

    public async Task InitializeAsync()
    {
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 1);
        await OpenApiLinters.EnsureInstalledAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _folder.Dispose();
    }

    public static TheoryData<string> Documents() => new(ApiDocuments.All.Select(d => d.Name));

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Document_PassesSpectralAndRedocly_WithNoError(string name)
    {
        var file = _folder.Combine($"{name}.json");
        await File.WriteAllTextAsync(file, await _site.Anonymous.GetStringAsync($"/openapi/{name}.json"));

        var findings = (await OpenApiLinters.SpectralAsync(file, CancellationToken.None)).Select(f => ("spectral", f))
            .Concat((await OpenApiLinters.RedoclyAsync(file, CancellationToken.None)).Select(f => ("redocly", f)))
            .ToList();

        foreach (var (tool, finding) in findings)
        {
            output.WriteLine($"{tool} {finding}");
        }

        var errors = findings.Where(f => f.Item2.Severity == "error").Select(f => $"{f.Item1} {f.Item2}").ToList();
        Assert.True(errors.Count == 0, $"{name}.json: " + string.Join(Environment.NewLine, errors));
    }
}
