using System.Net;
using System.Security.Cryptography;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Accounts;

/// <summary>
/// `vcm login --web`: signs the CLI in through the site's identity provider, as `gcloud auth login` does. The CLI
/// listens on 127.0.0.1 at a random port and an unguessable path, prints (and, with a desktop, opens) the manager's
/// /auth/oidc/login URL carrying that address and the SHA-256 of a verifier it keeps; after the sign-in the manager
/// sends the browser to that address with a one-time code, which the CLI trades, with the verifier, for an API token.
/// A code that reaches another program is useless without the verifier.
/// </summary>
public static class WebSignIn
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static async Task<string> RunAsync(string server, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var path = "/vcm-login/" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) + "/";
        using var listener = Listen(path, out var loopback);
        var url = $"{server}/auth/oidc/login?cli={Uri.EscapeDataString(loopback)}&challenge={challenge}";
        await Console.Error.WriteLineAsync($"Sign in with your browser at: {url}");
        TryOpenBrowser(url);

        var code = await WaitForCodeAsync(listener, cancellationToken);
        using var anonymous = VcmClient.Create(server, null, handler: handler);
        try
        {
            var token = await anonymous.SignInWithCodeAsync(new CliSignInRequest(code, verifier, $"vcm login --web on {Environment.MachineName}"), cancellationToken);
            return token.Secret!;
        }
        catch (VcmApiException e) when (e.Status == 401)
        {
            throw new CliException("The manager did not take the sign-in code (it expired or was used); run vcm login --web again.", ExitCodes.Unauthorized);
        }
    }

    private static HttpListener Listen(string path, out string loopback)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            loopback = $"http://127.0.0.1:{port}{path}";
            var listener = new HttpListener();
            listener.Prefixes.Add(loopback);
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // another program took the port meanwhile
            }
        }
    }

    private static async Task<string> WaitForCodeAsync(HttpListener listener, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        await using var stop = timeout.Token.Register(listener.Stop);
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && timeout.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new CliException($"No sign-in came back within {Patience.TotalMinutes} minutes; run vcm login --web again.", ExitCodes.Unauthorized);
            }

            var code = context.Request.QueryString["code"];
            await AnswerAsync(context.Response, code is null ? HttpStatusCode.BadRequest : HttpStatusCode.OK,
                code is null ? "This address waits for a sign-in code from vcm." : "Signed in: you can close this window and go back to the terminal.");
            if (!string.IsNullOrEmpty(code))
            {
                return code;
            }
        }
    }

    private static async Task AnswerAsync(HttpListenerResponse response, HttpStatusCode status, string text)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>vcm</title></head><body><p>{WebUtility.HtmlEncode(text)}</p></body></html>");
        response.StatusCode = (int)status;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    /// <summary>Opens the URL in the desktop's browser when there is a desktop; the printed URL is there either way.</summary>
    private static void TryOpenBrowser(string url)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
        {
            return;
        }

        try
        {
            // started, not waited for: a browser it starts outlives it
            using var opener = Vcm.Drivers.Processes.ProcessRunner.Instance.Start(new Vcm.Drivers.Processes.ProcessSpec("xdg-open", [url]));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or Vcm.Drivers.Processes.ProcessFailedException)
        {
            // no xdg-open: the URL is printed
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
