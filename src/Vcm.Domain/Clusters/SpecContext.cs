namespace Vcm.Domain.Clusters;

/// <summary>What validation needs to know of the world: the time, the images and sites that exist.</summary>
public sealed record SpecContext(DateTimeOffset Now, IReadOnlySet<string> Images, IReadOnlySet<string> Sites);
