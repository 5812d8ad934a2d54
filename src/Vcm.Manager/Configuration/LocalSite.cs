namespace Vcm.Manager.Configuration;

/// <summary>The site this manager runs, as read from the database at start.</summary>
public sealed record LocalSite(string Id, string Name, int VniFirst, int VniLast)
{
    public ExternalNetworkOptions? External { get; init; }

    public string SubnetPool { get; init; } = "10.0.0.0/8";

    /// <summary>Where peers reach this site's manager.</summary>
    public string Url { get; init; } = "http://127.0.0.1:8710";
}
