using System.Globalization;

namespace Vcm.Agent.Linux.Storage;

/// <summary>Reads the text of `tgtadm --lld iscsi --op show --mode target`.</summary>
internal static class TgtShowParser
{
    public static List<TgtTarget> Parse(string text)
    {
        var targets = new List<TgtTarget>();
        (int Tid, string Iqn)? current = null;
        var luns = new List<TgtLun>();
        var acl = new List<string>();
        int? lun = null;
        string? backing = null;
        var section = "";

        void EndLun()
        {
            if (lun is { } n)
            {
                luns.Add(new TgtLun(n, backing));
            }

            lun = null;
            backing = null;
        }

        void EndTarget()
        {
            EndLun();
            if (current is { } t)
            {
                targets.Add(new TgtTarget(t.Tid, t.Iqn, luns.ToList(), acl.ToList()));
            }

            luns.Clear();
            acl.Clear();
            section = "";
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            var trimmed = line.Trim();
            if (line.StartsWith("Target ", StringComparison.Ordinal))
            {
                EndTarget();
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                current = (int.Parse(line[7..colon], NumberStyles.None, CultureInfo.InvariantCulture), line[(colon + 1)..].Trim());
                continue;
            }

            if (line.StartsWith("    ", StringComparison.Ordinal) && !line.StartsWith("     ", StringComparison.Ordinal))
            {
                EndLun();
                section = trimmed;
                continue;
            }

            switch (section)
            {
                case "LUN information:" when trimmed.StartsWith("LUN: ", StringComparison.Ordinal):
                    EndLun();
                    lun = int.Parse(trimmed[5..], NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                case "LUN information:" when trimmed.StartsWith("Backing store path: ", StringComparison.Ordinal):
                    var path = trimmed["Backing store path: ".Length..];
                    backing = path == "None" ? null : path;
                    break;
                case "ACL information:" when trimmed.Length > 0:
                    acl.Add(trimmed);
                    break;
            }
        }

        EndTarget();
        return targets;
    }
}
