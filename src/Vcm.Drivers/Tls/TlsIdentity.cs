using System.Security.Cryptography.X509Certificates;

namespace Vcm.Drivers.Tls;

/// <summary>What one TLS end holds: its own certificate (with its private key) and the CA of its site. Either may be missing (an agent before it has joined).</summary>
public sealed record TlsIdentity(X509Certificate2? Certificate, X509Certificate2? Authority);
