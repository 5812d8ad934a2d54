namespace Vcm.Manager.Hosting;

/// <summary>Checks a manager's configuration at start; each problem is a sentence naming the setting.</summary>
public static class ManagerOptionsValidator
{
    public static IReadOnlyList<string> Validate(ManagerOptions options)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(options.Listen, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https"))
        {
            problems.Add($"--listen '{options.Listen}' is not an http:// or https:// URL.");
        }

        if (options.VniFirst < 1 || options.VniLast > 16_777_215 || options.VniFirst > options.VniLast)
        {
            problems.Add($"The VNI range {options.VniFirst}-{options.VniLast} is not within 1-16777215.");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(options.SiteName, "^[a-z][a-z0-9-]{0,30}$"))
        {
            problems.Add($"--site '{options.SiteName}' is not a valid site name (lower-case letters, digits and '-').");
        }

        var c = options.Controllers;
        if (c.Workers < 1)
        {
            problems.Add("The controller worker count must be at least 1.");
        }

        if (c.LeaseDuration <= c.PollInterval)
        {
            problems.Add("The lease duration must be longer than the poll interval.");
        }

        return problems;
    }
}
