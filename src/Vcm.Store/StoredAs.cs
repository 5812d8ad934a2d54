using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Domain.Federation;
using Vcm.Domain.Hosts;
using Vcm.Domain.Packages;
using Vcm.Domain.Text;
using Vcm.Store.Records;

namespace Vcm.Store;

/// <summary>
/// How typed values are kept in text columns, as before they were typed: cluster phases, event types and reasons by
/// their names ("Ready", "Warning"); node, part and host states and node roles in lower case ("ready"); a cluster's
/// spec, conditions and estimate as JSON.
/// </summary>
internal static class StoredAs
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<ClusterRecord>().Property(c => c.Phase).HasConversion<string>();
        model.Entity<ClusterRecord>().Property(c => c.Spec)
            .HasConversion(Json(ClusterSpecJson.Serialize, ClusterSpecJson.Deserialize), ByReference<ClusterSpec>());
        model.Entity<ClusterRecord>().Property(c => c.Conditions)
            .HasConversion(Json<IReadOnlyList<ClusterCondition>>(ConditionsJson.Serialize, ConditionsJson.Deserialize), ByReference<IReadOnlyList<ClusterCondition>>());
        model.Entity<ClusterRecord>().Property(c => c.Estimate)
            .HasConversion(new ValueConverter<ReadyEstimate?, string>(v => StoredJson.Serialize(v), s => StoredJson.Deserialize<ReadyEstimate>(s)), ByReference<ReadyEstimate>());
        model.Entity<CacheImageRecord>().Property(c => c.State).HasConversion(Lower<CacheImageState>());
        model.Entity<EventRecord>().Property(e => e.Type).HasConversion<string>();
        model.Entity<EventRecord>().Property(e => e.Reason).HasConversion<string>();
        model.Entity<NodeRecord>().Property(n => n.State).HasConversion(Lower<NodeState>());
        model.Entity<NodeRecord>().Property(n => n.Role).HasConversion(Lower<NodeRole>());
        model.Entity<ClusterPartRecord>().Property(p => p.State).HasConversion(Lower<PartState>());
        model.Entity<ClusterPartRecord>().Property(p => p.Phase).HasConversion<string>();
        model.Entity<HostRecord>().Property(h => h.State).HasConversion(Lower<HostState>());
        model.Entity<MigrationRecord>().Property(m => m.State).HasConversion(Lower<Domain.Moves.MigrationState>());
    }

    private static ValueConverter<T, string> Lower<T>()
        where T : struct, Enum =>
        new(v => EnumText.Lower(v), s => EnumText.Parse<T>(s));

    private static ValueConverter<T, string> Json<T>(Func<T, string> write, Func<string, T> read)
        where T : class =>
        new(v => write(v), s => read(s));

    /// <summary>Immutable values are changed only by assigning a new one, so a change is a new reference.</summary>
    private static ValueComparer<T> ByReference<T>()
        where T : class =>
        new((a, b) => ReferenceEquals(a, b), v => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(v), v => v);
}
