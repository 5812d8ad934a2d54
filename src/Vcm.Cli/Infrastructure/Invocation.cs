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

    private CliConfig? _config;

    /// <summary>The user's config file (contexts), read once.</summary>
    public CliConfig Config => _config ??= CliConfig.Load();

    /// <summary>--server, else $VCM_SERVER, else the current context's server, else the local default.</summary>
    public string ServerUrl =>
        Parse.GetValue(GlobalOptions.Server) ?? Environment.GetEnvironmentVariable("VCM_SERVER") ?? Config.CurrentContext?.Server ?? CliPaths.DefaultServer;

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>
    /// A client for the server, with the token from $VCM_TOKEN, else the current context's (when it is for that server),
    /// else the local data folder's admin.token.
    /// </summary>
    public VcmClient Client()
    {
        if (_client is not null)
        {
            return _client;
        }

        var token = Environment.GetEnvironmentVariable("VCM_TOKEN");
        if (string.IsNullOrEmpty(token) && Config.CurrentContext is { } context && SameServer(context.Server, ServerUrl))
        {
            token = context.Token;
        }

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
            throw new CliException($"No token: run `vcm login {ServerUrl}`, set VCM_TOKEN, or run this where {Path.Combine(CliPaths.DefaultDataDirectory(), "admin.token")} exists.", ExitCodes.Unauthorized);
        }

        return _client = VcmClient.Create(ServerUrl, token, handler: PinnedHandler(ServerUrl));
    }

    /// <summary>For an HTTPS server a context pinned a CA for: a handler that trusts that CA's manager certificates alone.</summary>
    public HttpMessageHandler? PinnedHandler(string server)
    {
        var pem = Config.Contexts.Values.FirstOrDefault(c => c.Ca is not null && SameServer(c.Server, server))?.Ca;
        return pem is null ? null : SitePins.Handler(pem);
    }

    public void Dispose() => _client?.Dispose();

    public static bool SameServer(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    public void WriteJson<T>(T value) => Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, ApiJson.Indented));
}
