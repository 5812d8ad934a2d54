namespace Vcm.Api;

/// <summary>What a drain did with one future reservation on the host: moved (with where its nodes go) or kept there (with why).</summary>
public sealed record ReplanView(string Cluster, bool Moved, string Detail);
