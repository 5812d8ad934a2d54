using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vcm.Drivers.Tls;

/// <summary>
/// A certificate's fingerprint: the SHA-256 of its DER bytes, written <c>sha256:</c> + 64 lower-case hex digits. A site's
/// CA fingerprint rides in its join and peer tokens; whoever holds the token checks the CA it is shown against it.
/// </summary>
public static class CertificateFingerprint
{
    public const string Prefix = "sha256:";

    public static string Of(X509Certificate2 certificate) => Prefix + Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <summary>The fingerprint in its one written form, or null when <paramref name="text"/> is not one (with or without the prefix).</summary>
    public static string? Normalize(string? text)
    {
        var hex = text?.Trim() ?? "";
        if (hex.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[Prefix.Length..];
        }

        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? Prefix + hex.ToLowerInvariant() : null;
    }

    public static bool Matches(X509Certificate2 certificate, string fingerprint) =>
        Normalize(fingerprint) is { } wanted
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Of(certificate)), Encoding.ASCII.GetBytes(wanted));
}
