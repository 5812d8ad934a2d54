using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Metadata;

/// <summary>
/// Reads a phone-home form (hostname, mac, ip, uptime, script_rc, hostkey, fingerprint, and install_* and
/// setup_problems when the image's hooks had something to say) from a node that has
/// proved who it is. The report's name and address are the node's own (what the token and source address proved),
/// not what the form says; the host key must be a well-formed key line whose fingerprint, when sent, matches.
/// </summary>
public static class PhoneHomeForm
{
    public static NodeReport? Read(IFormCollection form, MetadataNode node, DateTimeOffset at, out string problem)
    {
        var hostname = form["hostname"].ToString().Trim();
        if (hostname.Length is 0 or > 253 || !hostname.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            problem = "hostname is missing or not a host name";
            return null;
        }

        if (HostKeys.Normalize(form["hostkey"].ToString()) is not { } hostKey)
        {
            problem = "hostkey is missing or not an SSH public key line";
            return null;
        }

        var fingerprint = HostKeys.Fingerprint(hostKey)!;
        var sent = form["fingerprint"].ToString().Trim();
        if (sent.Length > 0 && sent != fingerprint)
        {
            problem = $"fingerprint {sent} is not that of hostkey ({fingerprint})";
            return null;
        }

        var uptimeText = form["uptime"].ToString().Trim();
        var uptime = 0.0;
        if (uptimeText.Length > 0 && (!double.TryParse(uptimeText, NumberStyles.Float, CultureInfo.InvariantCulture, out uptime) || uptime < 0 || !double.IsFinite(uptime)))
        {
            problem = "uptime is not a number of seconds";
            return null;
        }

        var scriptRc = form["script_rc"].ToString().Trim();
        if (scriptRc.Length > 16 || !scriptRc.All(char.IsAsciiLetterOrDigit))
        {
            problem = "script_rc is not an exit code or 'none'";
            return null;
        }

        var install = ReadInstall(form, out problem);
        if (problem.Length > 0)
        {
            return null;
        }

        return new NodeReport(node.Name, node.Ip, hostname, hostKey, fingerprint, uptime, scriptRc.Length == 0 ? "none" : scriptRc, at)
        {
            Install = install,
            SetupProblems = ReadSetupProblems(form),
        };
    }

    /// <summary>The most problems and the longest one a report keeps (the rest is on the node's console).</summary>
    public const int MaxSetupProblems = 8, MaxSetupProblemLength = 200;

    /// <summary>setup_problems: ";"-separated lines, each what a set-up step said when it failed; control characters dropped, "; "-joined.</summary>
    public static string ReadSetupProblems(IFormCollection form) => string.Join("; ",
        form["setup_problems"].ToString()
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => new string([.. p.Where(c => !char.IsControl(c))]).Trim())
            .Where(p => p.Length > 0)
            .Select(p => p.Length > MaxSetupProblemLength ? p[..MaxSetupProblemLength] + "…" : p)
            .Take(MaxSetupProblems));

    /// <summary>install_rc, install_count, install_seconds, install_error: the install at boot's outcome, when there was one.</summary>
    public static InstallReport? ReadInstall(IFormCollection form, out string problem)
    {
        problem = "";
        var rcText = form["install_rc"].ToString().Trim();
        if (rcText.Length == 0)
        {
            return null;
        }

        if (!int.TryParse(rcText, NumberStyles.None, CultureInfo.InvariantCulture, out var rc)
            || !int.TryParse(form["install_count"].ToString().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count)
            || !double.TryParse(form["install_seconds"].ToString().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || seconds < 0 || !double.IsFinite(seconds))
        {
            problem = "install_rc, install_count and install_seconds must be numbers";
            return null;
        }

        var error = form["install_error"].ToString().Trim();
        return new InstallReport(rc, Math.Max(0, count), seconds, error.Length > 300 ? error[..300] : error);
    }
}
