namespace Vcm.Api;

/// <summary>
/// The estimated time to Ready of a cluster's packages: the way chosen (LayerExact, CacheImage, BuildLayer,
/// CacheImagePlusInstall or BaseInstall), its seconds and why, and every way considered, cheapest first.
/// </summary>
public sealed record EstimateView(string Way, double Seconds, string Why, IReadOnlyList<WayView> Considered);

/// <summary>One way's estimate: seconds, how they add up, what the nodes would boot from.</summary>
public sealed record WayView(string Way, double Seconds, string Why, string? Boots);
