using System.Net;
using System.Text.RegularExpressions;

namespace Vcm.Testing;

/// <summary>
/// Plays a browser through a single sign-on: cookies kept (for the manager and the provider alike, as a browser
/// keeps them per host), redirects followed one at a time so a test can look at or change each, and the provider's
/// real login and consent pages read and their forms submitted.
/// </summary>
public sealed partial class OidcBrowser : IDisposable
{
    private readonly HttpClient _http;

    public OidcBrowser()
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true });
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    /// <summary>GETs a URL; the response is not followed.</summary>
    public Task<HttpResponseMessage> GetAsync(Uri url) => _http.GetAsync(url);

    /// <summary>Where a redirect goes (absolute), or throws saying what came instead.</summary>
    public static async Task<Uri> RedirectOfAsync(HttpResponseMessage response)
    {
        if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
        {
            return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
        }

        throw new InvalidOperationException($"expected a redirect from {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Signs in at the provider from its authorization URL: the login page, then (when asked) the consent page; returns
    /// the URL the provider sends the browser back to (the client's callback), not followed.
    /// </summary>
    public async Task<Uri> SignInAtProviderAsync(Uri authorize, string user, string password)
    {
        var url = authorize;
        for (var step = 0; step < 20; step++)
        {
            using var response = await _http.GetAsync(url);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var next = await RedirectOfAsync(response);
                if (next.Authority != authorize.Authority)
                {
                    return next; // back to the client
                }

                url = next;
                continue;
            }

            var page = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"the provider answered {(int)response.StatusCode} at {url}: {page}");
            }

            url = await SubmitAsync(url, page, user, password);
            if (url.Authority != authorize.Authority)
            {
                return url;
            }
        }

        throw new InvalidOperationException("the provider's pages never sent the browser back");
    }

    /// <summary>Fills and posts the page's first form (login: user and password; consent: as it is); returns where it redirects.</summary>
    private async Task<Uri> SubmitAsync(Uri page, string html, string user, string password)
    {
        var form = FormPattern().Match(html);
        if (!form.Success)
        {
            throw new InvalidOperationException($"no form on the provider's page {page}: {html}");
        }

        if (html.Contains("role=\"alert\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the provider refused the sign-in: {html}");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputPattern().Matches(form.Groups["body"].Value))
        {
            var name = input.Groups["name"].Value;
            fields[name] = name switch { "login" => user, "password" => password, _ => "" };
        }

        using var posted = await _http.PostAsync(new Uri(page, WebUtility.HtmlDecode(form.Groups["action"].Value)), new FormUrlEncodedContent(fields));
        return await RedirectOfAsync(posted);
    }

    /// <summary>Ends the provider's session from its end-session URL (its confirmation page answered yes); returns where the provider sends the browser then.</summary>
    public async Task<Uri> SignOutAtProviderAsync(Uri logout)
    {
        using var page = await _http.GetAsync(logout);
        var html = await page.Content.ReadAsStringAsync();
        var form = LogoutFormPattern().Match(html);
        if (page.StatusCode != HttpStatusCode.OK || !form.Success)
        {
            throw new InvalidOperationException($"the provider's sign-out page at {logout} ({(int)page.StatusCode}) has no form: {html}");
        }

        using var posted = await _http.PostAsync(
            new Uri(logout, WebUtility.HtmlDecode(form.Groups["action"].Value)),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["xsrf"] = form.Groups["xsrf"].Value, ["logout"] = "yes" }));
        return await RedirectOfAsync(posted);
    }

    [GeneratedRegex("<form id=\"op.logoutForm\" method=\"post\" action=\"(?<action>[^\"]+)\"><input type=\"hidden\" name=\"xsrf\" value=\"(?<xsrf>[^\"]+)\"/>")]
    private static partial Regex LogoutFormPattern();

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]+)\">(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input name=\"(?<name>[^\"]+)\"")]
    private static partial Regex InputPattern();

    public void Dispose() => _http.Dispose();
}
