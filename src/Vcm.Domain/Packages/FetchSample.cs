namespace Vcm.Domain.Packages;

/// <summary>A recorded fetch of an image file by a host from the site's image store.</summary>
public sealed record FetchSample(string HostId, long Bytes, double Seconds);
