using System.Globalization;
using Vcm.Bench;
using Vcm.Store;

// vcm benchmarks. Usage: Vcm.Bench control-plane [--db sqlite|postgres|both] [--hosts N] [--big N] [--many N] [--nodes N]
// Prints a markdown table; bench/run puts it, with the command, into docs/benchmarks.md.
var scenario = args.FirstOrDefault() ?? "control-plane";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

if (scenario != "control-plane")
{
    Console.Error.WriteLine($"unknown benchmark '{scenario}'; known: control-plane");
    return 2;
}

var hosts = int.Parse(Option("--hosts", "1000"), CultureInfo.InvariantCulture);
var big = int.Parse(Option("--big", "10000"), CultureInfo.InvariantCulture);
var many = int.Parse(Option("--many", "100"), CultureInfo.InvariantCulture);
var nodes = int.Parse(Option("--nodes", "100"), CultureInfo.InvariantCulture);
var providers = Option("--db", "both") switch
{
    "sqlite" => new[] { StoreProvider.Sqlite },
    "postgres" => [StoreProvider.Postgres],
    _ => [StoreProvider.Sqlite, StoreProvider.Postgres],
};

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
