using System.CommandLine;

namespace Vcm.Cli.Infrastructure;

/// <summary>Options every command takes.</summary>
public static class GlobalOptions
{
    public static readonly Option<OutputFormat> Output = new("--output", "-o")
    {
        Description = "How to print results: table (default) or json.",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = result => result.Tokens.Count == 0 ? OutputFormat.Table : result.Tokens[0].Value switch
        {
            "json" => OutputFormat.Json,
            "table" => OutputFormat.Table,
            var other => Fail(result, other),
        },
    };

    public static readonly Option<string?> Server = new("--server")
    {
        Description = "The vcm manager's URL (default: $VCM_SERVER or http://127.0.0.1:8710).",
        Recursive = true,
    };

    private static OutputFormat Fail(System.CommandLine.Parsing.ArgumentResult result, string value)
    {
        result.AddError($"--output must be table or json, not '{value}'.");
        return OutputFormat.Table;
    }
}
