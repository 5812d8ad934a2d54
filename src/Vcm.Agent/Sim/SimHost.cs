using System.Text.Json;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Storage;

namespace Vcm.Agent.Sim;

/// <summary>
/// A simulated host: an in-memory inventory behind the four driver interfaces, with latency and failure
/// injection. For control-plane tests and scale benchmarks only; it proves nothing about real hosts.
/// </summary>
public sealed class SimHost : IHostDrivers
{
    /// <summary>The images every simulated site's store holds.</summary>
    public static readonly IReadOnlySet<string> KnownImages = new HashSet<string>(StringComparer.Ordinal) { "micro", "debian-12" };

    private readonly SimOptions _options;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly string? _stateFile;
    private SimHostState _state;

    public SimHost(HostFacts facts, SimOptions options)
    {
        Facts = facts;
        _options = options;
        _random = options.Seed is { } seed ? new Random(seed ^ StableHash(facts.Name)) : new Random();
        _stateFile = options.StateDirectory is null ? null : Path.Combine(options.StateDirectory, facts.Name + ".json");
        _state = Load(_stateFile);
        Compute = new SimComputeDriver(this);
        Network = new SimNetworkDriver(this);
        Storage = new SimStorageDriver(this);
        Images = new SimImageDriver(this);
    }

    public HostFacts Facts { get; }

    public IComputeDriver Compute { get; }

    public INetworkDriver Network { get; }

    public IStorageDriver Storage { get; }

    public IImageDriver Images { get; }

    public string Name => Facts.Name;

    internal TimeProvider Clock => _options.Clock;

    /// <summary>
    /// Runs an operation on the inventory with the configured latency, then saves it. Injected failures strike only
    /// operations that change the host (as <paramref name="changed"/> says of the result): a failure "before" leaves
    /// the host as it was, a failure "after" leaves the change made but reports an error, as a lost reply would.
    /// </summary>
    internal async Task<T> ChangeAsync<T>(string what, Func<SimHostState, T> change, Func<T, bool> changed, CancellationToken cancellationToken)
    {
        if (_options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_options.Latency, cancellationToken);
        }

        var (failBefore, failAfter) = DrawFailure();
        T result;
        lock (_lock)
        {
            var before = failBefore ? JsonSerializer.SerializeToUtf8Bytes(_state, AgentJson.Options) : null;
            result = change(_state);
            if (before is not null && changed(result))
            {
                _state = JsonSerializer.Deserialize<SimHostState>(before, AgentJson.Options)!;
                throw new DriverException($"simulated failure before {what} on {Name}");
            }

            Save();
        }

        return failAfter && changed(result) ? throw new DriverException($"simulated failure after {what} on {Name} (the change was made)") : result;
    }

    internal Task<EnsureOutcome> ChangeAsync(string what, Func<SimHostState, EnsureOutcome> change, CancellationToken cancellationToken) =>
        ChangeAsync(what, change, o => o != EnsureOutcome.Unchanged, cancellationToken);

    internal Task<DeleteOutcome> ChangeAsync(string what, Func<SimHostState, DeleteOutcome> change, CancellationToken cancellationToken) =>
        ChangeAsync(what, change, o => o == DeleteOutcome.Deleted, cancellationToken);

    internal Task<Ensured<TStatus>> ChangeAsync<TStatus>(string what, Func<SimHostState, Ensured<TStatus>> change, CancellationToken cancellationToken) =>
        ChangeAsync(what, change, e => e.Outcome != EnsureOutcome.Unchanged, cancellationToken);

    /// <summary>The VPN ends on this host as they were last ensured.</summary>
    public IReadOnlyList<Vcm.Drivers.Network.VpnSpec> VpnEnds() => Read(s => s.Vpns.Values.ToList());

    /// <summary>The migration relay ends on this host (see <see cref="Vcm.Drivers.Network.MigrationRelaySpec"/>).</summary>
    public IReadOnlyList<Vcm.Drivers.Network.MigrationRelaySpec> Relays() => Read(s => s.Relays.Values.ToList());

    /// <summary>The gateways this host runs, as last ensured (their nodes are its DHCP and DNS entries).</summary>
    public IReadOnlyList<Vcm.Drivers.Network.GatewaySpec> GatewaySpecs() => Read(s => s.Gateways.Values.ToList());

    internal T Read<T>(Func<SimHostState, T> read)
    {
        lock (_lock)
        {
            return read(_state);
        }
    }

    /// <summary>Fault injection: the VM's process dies as if killed from outside.</summary>
    public bool KillVm(string name)
    {
        lock (_lock)
        {
            if (!_state.Vms.TryGetValue(name, out var vm))
            {
                return false;
            }

            _state.Vms[name] = vm with { State = VmState.Stopped, Detail = "killed", Usage = null };
            Save();
            return true;
        }
    }

    public IReadOnlyDictionary<string, int> VmCreations() => Read(s => new Dictionary<string, int>(s.VmCreations, StringComparer.Ordinal));

    public HostInventory Inventory() => Read(s => new HostInventory(
        Name,
        s.Vms.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList(),
        s.Segments.Keys.Order(StringComparer.Ordinal).ToList(),
        s.Gateways.Keys.Order(StringComparer.Ordinal).ToList(),
        s.Volumes.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList(),
        s.Images.Order(StringComparer.Ordinal).ToList(),
        s.Disks.Keys.Order(StringComparer.Ordinal).ToList())
    {
        Vpns = s.Vpns.Keys.Order(StringComparer.Ordinal).ToList(),
    });

    /// <summary>FNV-1a: the same in every process (string.GetHashCode is not), so a seed replays a run.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    private (bool Before, bool After) DrawFailure()
    {
        if (_options.FailureRate <= 0)
        {
            return (false, false);
        }

        lock (_random)
        {
            if (_random.NextDouble() >= _options.FailureRate)
            {
                return (false, false);
            }

            return _random.Next(2) == 0 ? (true, false) : (false, true);
        }
    }

    private void Save()
    {
        if (_stateFile is null)
        {
            return;
        }

        var temp = _stateFile + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(_state, AgentJson.Options));
        File.Move(temp, _stateFile, overwrite: true);
    }

    private static SimHostState Load(string? file)
    {
        if (file is null || !File.Exists(file))
        {
            return new SimHostState();
        }

        return JsonSerializer.Deserialize<SimHostState>(File.ReadAllBytes(file), AgentJson.Options) ?? new SimHostState();
    }
}
