using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Vcm.Manager.Auth.Oidc;

/// <summary>The page a refused single sign-on shows: what happened in one sentence, and a way back.</summary>
public static class OidcPages
{
    public static async Task RefusedAsync(HttpContext context, int status, string why)
    {
        var text = HtmlEncoder.Default.Encode(why);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
        await context.Response.WriteAsync(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
            "<title>Sign-in refused</title></head>\n<body><main><h1>Sign-in refused</h1>\n" +
            $"<p role=\"alert\">{text}</p>\n<p><a href=\"/\">Back to vcm</a></p></main></body></html>\n",
            context.RequestAborted);
    }
}
