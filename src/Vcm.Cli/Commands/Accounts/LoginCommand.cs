using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Accounts;

/// <summary>
/// vcm login SERVER [--token-file F | --user NAME | --web] [--context NAME]: checks a token with the server (or, with
/// --user, signs in with the user's password for a new one; with --web, through the site's identity provider in a
/// browser) and keeps it in the config file.
/// </summary>
public static class LoginCommand
{
    public static Command Create()
    {
        var server = new Argument<string>("server") { Description = "The manager's URL, like https://vcm.example.org:8710." };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the API token (default: read it from standard input; never give it as an argument)." };
        var contextName = new Option<string?>("--context") { Description = "The context's name (default: the server's host name)." };
        var fingerprint = new Option<string?>("--ca-fingerprint") { Description = "For an HTTPS server: the SHA-256 fingerprint of its site's CA (`vcm site ca` there prints it); the CA is then pinned for this server." };
        var user = new Option<string?>("--user") { Description = "Sign in with this local account's password (read from standard input, or typed without echo) instead of a token." };
        var web = new Option<bool>("--web") { Description = "Sign in through the site's single sign-on in a browser (the CLI listens on 127.0.0.1 for the answer)." };
        var command = new Command("login", "Sign in to a manager with an API token (from `vcm token create`), with --user and a password, or with --web through the site's identity provider, and make it the current context.")
        {
            server, tokenFile, contextName, fingerprint, user, web,
        };
        command.SetAction(async (cli, ct) =>
        {
            var url = cli.Get(server)!.TrimEnd('/');
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new CliException($"'{url}' is not a server URL; give it as http://HOST:PORT or https://HOST:PORT.", ExitCodes.Usage);
            }

            if (new[] { cli.Get(user) is not null, cli.Get(tokenFile) is not null, cli.Get(web) }.Count(given => given) > 1)
            {
                throw new CliException("Give one of --user (a password sign-in), --web (single sign-on) or --token-file.", ExitCodes.Usage);
            }

            var ca = cli.Get(fingerprint) is { } pin
                ? uri.Scheme == "https" ? await SitePins.FetchAsync(url, pin, ct) : throw new CliException("--ca-fingerprint is for an https:// server.", ExitCodes.Usage)
                : null;
            var token = cli.Get(user) is { } account
                ? await SignInAsync(url, account, ca is null ? null : SitePins.Handler(ca), ct)
                : cli.Get(web)
                    ? await WebSignIn.RunAsync(url, ca is null ? null : SitePins.Handler(ca), ct)
                    : await ReadTokenAsync(cli.Get(tokenFile), ct);
            using var client = VcmClient.Create(url, token, handler: ca is null ? null : SitePins.Handler(ca));
            WhoAmIView me;
            try
            {
                me = await client.WhoAmIAsync(ct);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                throw new CliException(
                    ca is null
                        ? $"The certificate of {url} is not one this machine trusts; give --ca-fingerprint with the fingerprint `vcm site ca` prints at the site."
                        : $"{url} did not show a manager certificate of the pinned CA for that address.",
                    ExitCodes.Failed);
            }

            var name = cli.Get(contextName) ?? uri.Host;
            var config = cli.Config;
            config.Contexts[name] = new CliContext(url, token, me.User, ca);
            (config with { Current = name }).Save();
            if (cli.Json)
            {
                cli.WriteJson(new { context = name, server = url, me.User, me.Tenant, me.Role, me.Site });
            }
            else
            {
                Console.Out.WriteLine($"signed in to {url} (site {me.Site}) as {me.User}, {me.Role}{(me.Tenant is null ? "" : $" of tenant {me.Tenant}")}; context {name} is current");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A new token from a password sign-in (named after this machine, 30 days).</summary>
    private static async Task<string> SignInAsync(string url, string account, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        var password = await SecretInput.ReadAsync($"password for {account}: ", cancellationToken);
        if (string.IsNullOrEmpty(password))
        {
            throw new CliException("No password was given; pipe it in or type it at the prompt.", ExitCodes.Usage);
        }

        using var anonymous = VcmClient.Create(url, null, handler: handler);
        var token = await anonymous.SignInAsync(new SignInRequest(account, password, $"vcm login on {Environment.MachineName}", "30d"), cancellationToken);
        return token.Secret!;
    }

    private static async Task<string> ReadTokenAsync(string? file, CancellationToken cancellationToken)
    {
        string? token;
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new CliException($"There is no token file {file}.", ExitCodes.Usage);
            }

            token = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        }
        else
        {
            if (!Console.IsInputRedirected)
            {
                await Console.Error.WriteAsync("API token: ");
            }

            token = (await Console.In.ReadLineAsync(cancellationToken))?.Trim();
        }

        return string.IsNullOrEmpty(token)
            ? throw new CliException("No token was given; pipe it in or use --token-file.", ExitCodes.Usage)
            : token;
    }
}
