namespace Vcm.Manager.Hosts;

/// <summary>
/// What fencing a host came to. <see cref="Fenced"/>: the host can run nothing of ours any more, so its nodes may be
/// built elsewhere; otherwise recovery must wait (never two copies of one node). <see cref="Detail"/> says why, for
/// the audit trail and the log.
/// </summary>
public sealed record FenceResult(bool Fenced, string Detail)
{
    public static FenceResult Done(string detail) => new(true, detail);

    public static FenceResult NotFenced(string detail) => new(false, detail);
}
