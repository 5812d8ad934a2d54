namespace Vcm.Agent.Linux.Network;

/// <summary>
/// Which WAN path of a VPN end to bridge, from what each end sees by itself — no message between the ends, so both
/// converge on the same path because they apply the same rule to the same (symmetric) facts: a tunnel is up at both
/// ends or at neither, and a link cut is seen at both ends' carriers.
/// </summary>
/// <remarks>
/// The rule: the lowest-numbered usable path. A path that comes back is taken again (preemptive) only once it has
/// been usable for <see cref="HoldDown"/> in a row, so a flapping path is not chosen at each blip, and the path in use
/// stays while it is usable. When no path is usable, the path in use stays bridged (path 1 when none is): nothing
/// better exists, and traffic resumes on it the moment it comes back. Preemption back to the lowest path, rather than
/// staying on the standby, keeps the two ends from settling on different paths for good after a one-sided blip.
/// </remarks>
internal static class VpnPathChoice
{
    /// <summary>How long a path that came back must stay usable before it is preferred again.</summary>
    public static readonly TimeSpan HoldDown = TimeSpan.FromSeconds(3);

    public static int Choose(IReadOnlyList<VpnPathHealth> paths, int? current, long nowMs)
    {
        var usable = paths.Where(p => p.Usable).OrderBy(p => p.Path).ToList();
        var settled = usable.FirstOrDefault(p => p.Path == current || nowMs - (p.UsableSinceMs ?? nowMs) >= HoldDown.TotalMilliseconds);
        return settled?.Path
            ?? usable.FirstOrDefault()?.Path
            ?? current
            ?? paths.Min(p => p.Path);
    }
}
