using System.Net;
using System.Net.NetworkInformation;

namespace Vcm.Manager.Configuration;

/// <summary>What the manager's URLs say about its addresses: which are loopback, and the names its certificate must carry.</summary>
public static class ListenAddresses
{
    /// <summary>The names a client may dial this manager by: each URL's host, and every local address for a wildcard host.</summary>
    public static IReadOnlyList<string> CertificateNames(IEnumerable<string> urls)
    {
        var names = new List<string> { "localhost", "127.0.0.1", "::1" };
        foreach (var text in urls)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
            {
                continue;
            }

            var host = url.Host.Trim('[', ']');
            if (host is "0.0.0.0" or "::" or "*" or "+")
            {
                names.Add(Dns.GetHostName());
                names.AddRange(NetworkInterface.GetAllNetworkInterfaces()
                    .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                    .Select(a => a.Address.ToString()));
            }
            else
            {
                names.Add(host);
            }
        }

        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
