using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Vcm.Api;
using Vcm.Cli.Infrastructure;
using Vcm.Drivers.Processes;
using Vcm.Manager.Auth;

namespace Vcm.Cli.Lab;

/// <summary>
/// The manager of a lab site other than site a: `vcm manager` started detached through <see cref="Daemons"/>, with
/// its own folder DATA/lab/site-NAME (SQLite database, admin token, PID file, log), listening on the site's port on
/// loopback and on the site's management network, and knowing the site's external network. It reads the image store
/// site a's manager serves (the same micro image), and serves it to its own site's agents.
/// </summary>
public sealed class LabSiteManager(CliServices services, string vcm, LabState state, LabSite site)
{
    private readonly Daemons _daemons = new(services.Runner, services.Clock);

    public LabSite Site => site;

    public string Folder => state.SiteData(site);

    public string PidFile => Path.Combine(Folder, "manager.pid");

    public string LogFile => Path.Combine(Folder, "manager.log");

    public string TokenFile => Path.Combine(Folder, AdminToken.FileName);

    /// <summary>The manager's URL on this machine's loopback (what the CLI, `vcm up` and site a's manager use).</summary>
    public string Url => state.Plan.LoopbackManagerUrl(site);

    /// <summary>The manager's URL on the lab's management network (HTTPS): where its agents and peer sites reach it.</summary>
    public string MgmtUrl => state.Plan.MgmtManagerUrl(site);

    /// <summary>Text only this manager's command line holds: nothing else is ever signalled.</summary>
    public string Marker => $"manager --site {site.Name} --data {Folder} ";

    public DaemonSpec Spec(string imageDirectory) => new(
        vcm,
        [
            "manager", "--site", site.Name, "--data", Folder,
            "--listen", $"{Url};{MgmtUrl}", "--advertise", MgmtUrl,
            "--images", imageDirectory,
            "--external-subnet", site.ExternalSubnet, "--external-router", site.ExternalRouter,
            "--external-bridge", LabSite.ExternalBridge, "--external-netns", site.ExternalNetns,
        ],
        PidFile,
        LogFile,
        Marker);

    /// <summary>The manager's PID while it lives (a stopped process lives); null when it is gone.</summary>
    public int? RunningPid => Daemons.RunningPid(PidFile, Marker);

    /// <summary>Starts the manager unless it runs already; returns its PID.</summary>
    public Task<int> EnsureAsync(string imageDirectory, CancellationToken cancellationToken) =>
        _daemons.EnsureAsync(Spec(imageDirectory), cancellationToken);

    /// <summary>Waits until the manager answers as this site on loopback; returns an admin client of it.</summary>
    public async Task<VcmClient> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = services.Clock.GetUtcNow() + timeout;
        while (services.Clock.GetUtcNow() < deadline)
        {
            if (await AnswersAsync(http, cancellationToken) && File.Exists(TokenFile))
            {
                return VcmClient.Create(Url, (await File.ReadAllTextAsync(TokenFile, cancellationToken)).Trim(), TimeSpan.FromSeconds(30));
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new CliException(
            $"Site {site.Name}'s manager did not answer at {Url} within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; its log {LogFile} ends: {Daemons.Tail(LogFile)}",
            ExitCodes.Failed);
    }

    /// <summary>Stops the manager by its recorded PID (SIGTERM, then SIGKILL — which also ends a stopped one). Absent is fine.</summary>
    public Task<bool> StopAsync(CancellationToken cancellationToken) =>
        _daemons.StopAsync(PidFile, Marker, TimeSpan.FromSeconds(10), cancellationToken);

    private async Task<bool> AnswersAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            var health = await http.GetFromJsonAsync<JsonElement>($"{Url}/healthz", cancellationToken);
            return health.TryGetProperty("site", out var name) && name.GetString() == site.Name;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
