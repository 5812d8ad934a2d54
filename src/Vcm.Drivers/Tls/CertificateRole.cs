namespace Vcm.Drivers.Tls;

/// <summary>What a certificate of a site's CA was issued to: written in its subject's OU, checked by whoever is shown it.</summary>
public enum CertificateRole
{
    Manager,
    Agent,
}
