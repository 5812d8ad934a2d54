namespace Vcm.Domain.Packages;

/// <summary>One cluster create's package set, as the site records it: the image, the packages asked for, when.</summary>
public sealed record PackageRequest(string Image, IReadOnlyList<string> Packages, DateTimeOffset At);
