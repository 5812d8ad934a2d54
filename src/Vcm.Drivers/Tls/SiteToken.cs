namespace Vcm.Drivers.Tls;

/// <summary>
/// A join or peer token as a person copies it: the secret, a dot, and the hex SHA-256 of the site CA's certificate
/// (kubeadm's discovery hash, carried in the token). The site keeps only the secret's hash; the holder checks the CA it
/// is shown against the fingerprint before it trusts anything the site says.
/// </summary>
public readonly record struct SiteToken(string Secret, string? CaFingerprint)
{
    public static string Format(string secret, string caFingerprint) =>
        secret + "." + CertificateFingerprint.Normalize(caFingerprint)![CertificateFingerprint.Prefix.Length..];

    /// <summary>Splits a token; one without a (well-formed) fingerprint is all secret.</summary>
    public static SiteToken Parse(string? text)
    {
        var token = text?.Trim() ?? "";
        var dot = token.LastIndexOf('.');
        return dot > 0 && CertificateFingerprint.Normalize(token[(dot + 1)..]) is { } fingerprint
            ? new SiteToken(token[..dot], fingerprint)
            : new SiteToken(token, null);
    }
}
