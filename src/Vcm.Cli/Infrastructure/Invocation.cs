using System.CommandLine;
using Vcm.Api;

namespace Vcm.Cli.Infrastructure;

/// <summary>What a running command needs: its parsed options, an API client (one, disposed with the invocation), and the output.</summary>
public sealed class Invocation(ParseResult parse) : IDisposable
{
    private VcmClient? _client;

    public ParseResult Parse { get; } = parse;

    public OutputFormat Format => Parse.GetValue(GlobalOptions.Output);

    public bool Json => Format == OutputFormat.Json;

    public string ServerUrl =>
        Parse.GetValue(GlobalOptions.Server) ?? Environment.GetEnvironmentVariable("VCM_SERVER") ?? CliPaths.DefaultServer;

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>A client for the server, with the token from VCM_TOKEN or the local data folder's admin.token.</summary>
    public VcmClient Client()
    {
        if (_client is not null)
        {
            return _client;
        }

        var token = Environment.GetEnvironmentVariable("VCM_TOKEN");
        if (string.IsNullOrEmpty(token))
        {
            var file = Path.Combine(CliPaths.DefaultDataDirectory(), "admin.token");
            if (File.Exists(file))
            {
                token = File.ReadAllText(file).Trim();
            }
        }

        if (string.IsNullOrEmpty(token))
        {
            throw new CliException($"No token: set VCM_TOKEN, or run this where {Path.Combine(CliPaths.DefaultDataDirectory(), "admin.token")} exists.", ExitCodes.Unauthorized);
        }

        return _client = VcmClient.Create(ServerUrl, token);
    }

    public void Dispose() => _client?.Dispose();

    public void WriteJson<T>(T value) => Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, ApiJson.Indented));
}
