using System.Globalization;
using Vcm.Bench;
using Vcm.Store;

// vcm benchmarks. Usage: Vcm.Bench control-plane [--db sqlite|postgres|both] [--hosts N] [--big N] [--many N] [--nodes N]
//                        Vcm.Bench tenancy [--db sqlite|postgres|both] [--rounds N] [--tenants N] [--members N] [--hosts N] [--big N] [--many N] [--nodes N]
//                        Vcm.Bench lab-build [--rounds N]
//                        Vcm.Bench federation [--rounds N]
//                        Vcm.Bench failover [--rounds N]
//                        Vcm.Bench moves [--rounds N]
//                        Vcm.Bench moves-across [--rounds N] [--wan 100M,1G]
//                        Vcm.Bench distribution [--mib N] [--rate MIB_PER_S] [--receivers 1,2,4,8] [--chunk MIB]
//                        Vcm.Bench distribution --lab [--mib N] [--mbit MBIT_PER_S] [--receivers 1,2,4,8]
//                        Vcm.Bench software [--workers 2,4,8] [--packages P,Q] [--role slurm|none] [--install layer,boot]
//                        Vcm.Bench cost-model [--builds N] [--seed N]
//                        Vcm.Bench portal [--clusters N] [--nodes N] [--watchers N] [--rounds N] [--hosts N] [--window SECONDS]
// Prints a markdown table; bench/run puts it, with the command, into docs/benchmarks.md.
var scenario = args.FirstOrDefault() ?? "control-plane";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

if (scenario == "lab-build")
{
    var labRounds = int.Parse(Option("--rounds", "3"), CultureInfo.InvariantCulture);
    Console.Error.WriteLine("bench: lab build (vcm up --lab 1x3, real QEMU guests under TCG)");
    var rows = await new LabBuildBench(labRounds).RunAsync();
    Console.WriteLine();
    Console.WriteLine("| what | time |");
    Console.WriteLine("|---|---|");
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario == "cost-model")
{
    Console.Error.WriteLine("bench: the cost model's layer-build prediction on held-out real builds");
    var rows = await new CostModelBench(
        int.Parse(Option("--builds", "12"), CultureInfo.InvariantCulture),
        int.Parse(Option("--seed", "9"), CultureInfo.InvariantCulture)).RunAsync(CancellationToken.None);
    Console.WriteLine();
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario == "portal")
{
    var portalClusters = int.Parse(Option("--clusters", "500"), CultureInfo.InvariantCulture);
    var portalNodes = int.Parse(Option("--nodes", "5000"), CultureInfo.InvariantCulture);
    Console.Error.WriteLine($"bench: the portal with {portalClusters} clusters and {portalNodes} nodes (vcm up --sim, headless chromium)");
    var rows = await new PortalBench(
        portalClusters,
        portalNodes,
        int.Parse(Option("--watchers", "100"), CultureInfo.InvariantCulture),
        int.Parse(Option("--rounds", "10"), CultureInfo.InvariantCulture),
        int.Parse(Option("--hosts", "200"), CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(int.Parse(Option("--window", "30"), CultureInfo.InvariantCulture))).RunAsync();
    Console.WriteLine();
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario == "software")
{
    Console.Error.WriteLine("bench: Debian clusters with packages (vcm up --lab 1x3, real QEMU guests under TCG)");
    var rows = await new SoftwareBench(
        Option("--workers", "2,4,8").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToList(),
        Option("--packages", "openmpi-bin,libopenmpi-dev,gcc"),
        Option("--role", "slurm"),
        Option("--install", "layer").Split(',', StringSplitOptions.RemoveEmptyEntries)).RunAsync();
    Console.WriteLine();
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario == "moves")
{
    var mvRounds = int.Parse(Option("--rounds", "3"), CultureInfo.InvariantCulture);
    Console.Error.WriteLine("bench: moves (vcm up --lab 1x3; a host holding 4 nodes drained, then a host lost)");
    var rows = await new MovesBench(mvRounds).RunAsync(CancellationToken.None);
    Console.WriteLine();
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario == "moves-across")
{
    var maRounds = int.Parse(Option("--rounds", "3"), CultureInfo.InvariantCulture);
    var maRates = Option("--wan", "100M,1G").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    Console.Error.WriteLine($"bench: moves-across (vcm up --lab 2x2 --wan {string.Join(" then ", maRates)}; node-01 migrated from site a to b while pinged every 10 ms)");
    var rows = await new MovesAcrossBench(maRounds, maRates).RunAsync(CancellationToken.None);
    Console.WriteLine();
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario == "failover")
{
    var foRounds = int.Parse(Option("--rounds", "5"), CultureInfo.InvariantCulture);
    Console.Error.WriteLine("bench: failover (vcm up --lab 2x2 --wan-paths 2 --wan 100M; the active WAN path cut during a 10 ms ping stream)");
    var rows = await new FailoverBench(foRounds).RunAsync(CancellationToken.None);
    Console.WriteLine();
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario == "federation")
{
    var fedRounds = int.Parse(Option("--rounds", "3"), CultureInfo.InvariantCulture);
    Console.Error.WriteLine("bench: federation (vcm up --lab 2x2, WAN at 100 Mbit/s then unshaped; iperf3 between probes on clusters' segments)");
    var rows = await new FederationBench(fedRounds).RunAsync(CancellationToken.None);
    Console.WriteLine();
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario == "distribution" && args.Contains("--lab"))
{
    var rows = await new LabDistributionBench(
        int.Parse(Option("--mib", "1024"), CultureInfo.InvariantCulture),
        int.Parse(Option("--mbit", "200"), CultureInfo.InvariantCulture),
        Option("--receivers", "1,2,4,8").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList()).RunAsync(CancellationToken.None);
    Console.WriteLine();
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario == "distribution")
{
    var rows = await new DistributionBench(
        int.Parse(Option("--mib", "256"), CultureInfo.InvariantCulture),
        double.Parse(Option("--rate", "25"), CultureInfo.InvariantCulture),
        Option("--receivers", "1,2,4,8").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList(),
        int.Parse(Option("--chunk", "4"), CultureInfo.InvariantCulture)).RunAsync(CancellationToken.None);
    Console.WriteLine();
    foreach (var row in rows)
    {
        Console.WriteLine(row);
    }

    return 0;
}

if (scenario is not "control-plane" and not "tenancy" and not "calendar")
{
    Console.Error.WriteLine($"unknown benchmark '{scenario}'; known: control-plane, tenancy, calendar, lab-build, federation, failover, moves, moves-across, distribution, software, cost-model, portal");
    return 2;
}

var hosts = int.Parse(Option("--hosts", "1000"), CultureInfo.InvariantCulture);
var big = int.Parse(Option("--big", "10000"), CultureInfo.InvariantCulture);
var many = int.Parse(Option("--many", "100"), CultureInfo.InvariantCulture);
var nodes = int.Parse(Option("--nodes", "100"), CultureInfo.InvariantCulture);
var providers = Option("--db", scenario is "tenancy" or "calendar" ? "sqlite" : "both") switch
{
    "sqlite" => new[] { StoreProvider.Sqlite },
    "postgres" => [StoreProvider.Postgres],
    _ => [StoreProvider.Sqlite, StoreProvider.Postgres],
};

if (scenario == "calendar")
{
    var claims = int.Parse(Option("--claims", "10000"), CultureInfo.InvariantCulture);
    var calendarRounds = int.Parse(Option("--rounds", "20"), CultureInfo.InvariantCulture);
    foreach (var provider in providers)
    {
        Console.Error.WriteLine($"bench: admission against a calendar of {claims:N0} claims on {provider}, {hosts} simulated hosts");
        var lines = await new CalendarBench(provider, hosts, claims, calendarRounds).RunAsync();
        Console.WriteLine();
        Console.WriteLine($"**{provider}** ({hosts:N0} simulated hosts, {claims:N0} claims over the coming month; one request at a time over HTTP)");
        Console.WriteLine();
        Console.WriteLine("| request | median | p95 |");
        Console.WriteLine("|---|---|---|");
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }

    return 0;
}

if (scenario == "tenancy")
{
    var rounds = int.Parse(Option("--rounds", "5"), CultureInfo.InvariantCulture);
    var tenants = int.Parse(Option("--tenants", "4"), CultureInfo.InvariantCulture);
    var members = int.Parse(Option("--members", "2"), CultureInfo.InvariantCulture);
    foreach (var provider in providers)
    {
        Console.Error.WriteLine($"bench: tenancy A/B on {provider}, {hosts} simulated hosts, {rounds} rounds");
        var lines = await new TenancyBench(provider, hosts, big, many, nodes, rounds, tenants, members).RunAsync();
        Console.WriteLine();
        Console.WriteLine($"**{provider}** ({hosts:N0} simulated hosts, zero driver latency)");
        Console.WriteLine();
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }

    return 0;
}

foreach (var provider in providers)
{
    Console.Error.WriteLine($"bench: control plane on {provider}, {hosts} simulated hosts");
    var lines = await new ControlPlaneBench(provider, hosts, big, many, nodes).RunAsync();
    Console.WriteLine();
    Console.WriteLine($"**{provider}** ({hosts:N0} simulated hosts, zero driver latency)");
    Console.WriteLine();
    Console.WriteLine("| what | time |");
    Console.WriteLine("|---|---|");
    foreach (var line in lines)
    {
        Console.WriteLine(line);
    }
}

return 0;
