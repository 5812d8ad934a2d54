using System.Text.Json;
using Vcm.Drivers.Processes;
using Vcm.Testing;

namespace Vcm.Manager.Tests.OpenApi;

/// <summary>
/// Spectral and Redocly, installed from npm into artifacts/openapi-lint at pinned versions on first use and kept there
/// between runs (install scripts off, telemetry off).
/// </summary>
internal static class OpenApiLinters
{
    private const string Spectral = "@stoplight/spectral-cli@6.16.3";
    private const string Redocly = "@redocly/cli@2.77.0";

    private static readonly IProcessRunner Runner = new ProcessRunner();
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private static string Folder => Path.Combine(RepoPaths.Root, "artifacts", "openapi-lint");

    private static string Bin(string name) => Path.Combine(Folder, "node_modules", ".bin", name);

    private static readonly Dictionary<string, string?> Quiet = new()
    {
        ["REDOCLY_TELEMETRY"] = "off",
        ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
        ["SCARF_ANALYTICS"] = "false",
        ["NO_COLOR"] = "1",
    };

    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        var stamp = Path.Combine(Folder, "installed");
        var wanted = $"{Spectral} {Redocly}";
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp, cancellationToken) == wanted && File.Exists(Bin("spectral")) && File.Exists(Bin("redocly")))
            {
                return;
            }

            Directory.CreateDirectory(Folder);
            (await Runner.RunAsync(
                new ProcessSpec("npm", ["install", "--prefix", Folder, "--no-audit", "--no-fund", "--ignore-scripts", Spectral, Redocly])
                {
                    Environment = Quiet,
                    Timeout = TimeSpan.FromMinutes(10),
                },
                cancellationToken)).EnsureSuccess();
            await File.WriteAllTextAsync(stamp, wanted, cancellationToken);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Spectral with the spectral:oas ruleset: each finding as "severity rule path: message".</summary>
    public static async Task<IReadOnlyList<LintFinding>> SpectralAsync(string document, CancellationToken cancellationToken)
    {
        var ruleset = Path.Combine(Path.GetDirectoryName(document)!, ".spectral.yaml");
        await File.WriteAllTextAsync(ruleset, "extends: [\"spectral:oas\"]\n", cancellationToken);
        var result = await Runner.RunAsync(
            new ProcessSpec(Bin("spectral"), ["lint", "--ruleset", ruleset, "--format", "json", "--quiet", document]) { Environment = Quiet },
            cancellationToken);
        var output = JsonDocument.Parse(Json(result)).RootElement;
        return output.EnumerateArray().Select(f => new LintFinding(
            f.GetProperty("severity").GetInt32() switch { 0 => "error", 1 => "warning", _ => "info" },
            f.GetProperty("code").GetString() ?? "",
            string.Join('.', f.GetProperty("path").EnumerateArray().Select(p => p.ToString())),
            f.GetProperty("message").GetString() ?? "")).ToList();
    }

    /// <summary>Redocly with its recommended rules.</summary>
    public static async Task<IReadOnlyList<LintFinding>> RedoclyAsync(string document, CancellationToken cancellationToken)
    {
        var config = Path.Combine(Path.GetDirectoryName(document)!, "redocly.yaml");
        await File.WriteAllTextAsync(config, "extends:\n  - recommended\n", cancellationToken);
        var result = await Runner.RunAsync(
            new ProcessSpec(Bin("redocly"), ["lint", "--config", config, "--format", "json", document]) { Environment = Quiet },
            cancellationToken);
        var output = JsonDocument.Parse(Json(result)).RootElement;
        return output.GetProperty("problems").EnumerateArray().Select(p => new LintFinding(
            p.GetProperty("severity").GetString() == "error" ? "error" : "warning",
            p.GetProperty("ruleId").GetString() ?? "",
            p.GetProperty("location")[0].GetProperty("pointer").GetString() ?? "",
            p.GetProperty("message").GetString() ?? "")).ToList();
    }

    /// <summary>The JSON a linter printed; its exit code only says whether it found errors, which the caller counts.</summary>
    private static string Json(ProcessResult result)
    {
        var text = result.StandardOutput.Trim();
        return text.StartsWith('[') || text.StartsWith('{')
            ? text
            : throw new InvalidOperationException($"{result.Spec.CommandLine} printed no JSON (exit {result.ExitCode}): {result.StandardError}{result.StandardOutput}");
    }
}
