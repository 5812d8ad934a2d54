using Vcm.Domain.Sizes;

namespace Vcm.Domain.Clusters;

/// <summary>The bounds a cluster spec must keep, and the defaults for what it leaves out.</summary>
public static class SpecLimits
{
    public const int MaxNameLength = 63;
    public const int MaxWorkers = 100_000;
    public const int MaxCpus = 256;
    public const int MaxPackages = 500;
    public const int MaxSshKeys = 32;
    public const int MaxSshKeyLength = 16 * 1024;
    public const int MaxSites = 32;
    public const int MaxFiles = 64;
    public const int MaxFilePathLength = 1024;

    /// <summary>The most the files of one request may hold together, decoded (they travel in the request and the spec).</summary>
    public const int MaxFileBytes = 512 * 1024;
    public static readonly ByteSize MinMemory = ByteSize.FromMebibytes(64);
    public static readonly ByteSize MaxMemory = ByteSize.FromGibibytes(4096);
    public static readonly ByteSize MinDisk = ByteSize.FromMebibytes(64);
    public static readonly ByteSize MaxDisk = ByteSize.FromGibibytes(64 * 1024);
    public static readonly ByteSize MaxShared = ByteSize.FromGibibytes(1024 * 1024);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(5 * 366);

    /// <summary>How far ahead a window may start.</summary>
    public static readonly TimeSpan MaxStartAhead = TimeSpan.FromDays(5 * 366);

    /// <summary>How far in the past a start may lie and still count as "now" (clock skew between client and server).</summary>
    public static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(1);

    public const int DefaultCpus = 1;
    public static readonly ByteSize DefaultMemory = ByteSize.FromMebibytes(512);
    public static readonly ByteSize DefaultDisk = ByteSize.FromGibibytes(2);
    public const string DefaultImage = "micro";
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(1);
}
