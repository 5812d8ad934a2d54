using System.Net;
using Vcm.Manager.Portal;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Portal;

/// <summary>
/// The manager serves the portal the build put in its wwwroot: index.html at / and at any page's path (a shared
/// cluster URL opens), its assets, each answer with a Content-Security-Policy of this origin only; the API's own
/// paths stay the API's (a missing route is still a problem, not the portal's page).
/// </summary>
public sealed class PortalFilesTests : IAsyncLifetime
{
    private TestSite _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 1);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public void Build_PutsThePortalInWwwroot()
    {
        Assert.True(File.Exists(Path.Combine(PortalFiles.DefaultRoot, "index.html")), $"no portal in {PortalFiles.DefaultRoot}");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/clusters/demo")]
    [InlineData("/site/hosts")]
    public async Task PortalPath_IndexHtml_WithContentSecurityPolicy(string path)
    {
        var response = await _site.Anonymous.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"app\"></div>", body, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script>|<script [^>]*>[^<]", body); // no inline script: every script is a file of this origin
        Assert.Equal(PortalFiles.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Asset_ServedFromThisOrigin_CachedForever_MissingAssetIs404()
    {
        var index = await _site.Anonymous.GetStringAsync("/");
        var script = System.Text.RegularExpressions.Regex.Match(index, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;

        var asset = await _site.Anonymous.GetAsync(script);
        var missing = await _site.Anonymous.GetAsync("/assets/none-such.js");

        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/none-such")]
    [InlineData("/healthz/none-such")]
    [InlineData("/problems")]
    public async Task ApiPath_NeverThePortal(string path)
    {
        var response = await _site.Anonymous.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<div id=\"app\">", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostToAPortalPath_NotServed()
    {
        var response = await _site.Anonymous.PostAsync("/clusters/demo", new StringContent("x"));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
