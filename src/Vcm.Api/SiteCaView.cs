namespace Vcm.Api;

/// <summary>The site's CA certificate (PEM) and its fingerprint (<c>sha256:</c> + hex of the DER bytes), as join and peer tokens carry it.</summary>
public sealed record SiteCaView(string Certificate, string Fingerprint);
