using Vcm.Domain.Clusters;
using Xunit;

namespace Vcm.Domain.Tests.Clusters;

public sealed class PhaseTransitionsTests
{
    [Theory]
    [InlineData(ClusterPhase.Scheduled, ClusterPhase.Provisioning)]
    [InlineData(ClusterPhase.Provisioning, ClusterPhase.Ready)]
    [InlineData(ClusterPhase.Ready, ClusterPhase.Degraded)]
    [InlineData(ClusterPhase.Degraded, ClusterPhase.Ready)]
    [InlineData(ClusterPhase.Provisioning, ClusterPhase.Failed)]
    [InlineData(ClusterPhase.Failed, ClusterPhase.Releasing)]
    [InlineData(ClusterPhase.Releasing, ClusterPhase.Released)]
    [InlineData(ClusterPhase.Scheduled, ClusterPhase.Rejected)]
    public void Allowed(ClusterPhase from, ClusterPhase to) => PhaseTransitions.Ensure(from, to);

    [Theory]
    [InlineData(ClusterPhase.Scheduled, ClusterPhase.Ready)]
    [InlineData(ClusterPhase.Released, ClusterPhase.Provisioning)]
    [InlineData(ClusterPhase.Ready, ClusterPhase.Released)]
    [InlineData(ClusterPhase.Failed, ClusterPhase.Ready)]
    [InlineData(ClusterPhase.Releasing, ClusterPhase.Ready)]
    public void Refused(ClusterPhase from, ClusterPhase to) =>
        Assert.Throws<InvalidPhaseTransitionException>(() => PhaseTransitions.Ensure(from, to));

    [Fact]
    public void EveryLivePhase_CanBeReleased()
    {
        foreach (var phase in Enum.GetValues<ClusterPhase>().Where(p => !PhaseTransitions.IsFinal(p) && p != ClusterPhase.Releasing))
        {
            Assert.True(PhaseTransitions.IsAllowed(phase, ClusterPhase.Releasing), $"{phase} cannot be released");
        }
    }

    [Fact]
    public void OnlyReleasedAndRejected_AreFinal() =>
        Assert.Equal([ClusterPhase.Released, ClusterPhase.Rejected], Enum.GetValues<ClusterPhase>().Where(PhaseTransitions.IsFinal));
}
