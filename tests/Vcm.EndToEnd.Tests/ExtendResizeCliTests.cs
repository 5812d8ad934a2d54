using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>`vcm cluster extend` and `vcm cluster resize` against `vcm up --sim`: each changes a running cluster, answers in JSON or a sentence, and a bad request is one sentence and a non-zero exit.</summary>
public sealed class ExtendResizeCliTests(UpFixture fixture) : IClassFixture<UpFixture>
{
    private readonly VcmCli _cli = fixture.Cli;

    [Fact]
    public async Task Extend_ThenGrowAndShrink_ARunningCluster_AndBadRequestsAreOneSentence()
    {
        var created = await _cli.JsonAsync<ClusterView>("cluster", "create", "rz", "--workers", "1", "--for", "1h", "--wait");
        try
        {
            var extended = await _cli.JsonAsync<ClusterView>("cluster", "extend", "rz", "--by", "30m");
            var text = await _cli.RunAsync("cluster", "extend", "rz", "--end", created.End.AddHours(2).ToString("yyyy-MM-ddTHH:mm:ssZ"));
            var grown = await _cli.JsonAsync<ClusterView>("cluster", "resize", "rz", "--workers", "3");
            var ready = await _cli.WaitForPhaseAsync("rz", "Ready", TimeSpan.FromMinutes(2));
            var zero = await _cli.RunAsync("cluster", "resize", "rz", "--workers", "0");
            var backwards = await _cli.RunAsync("cluster", "extend", "rz", "--end", created.End.ToString("yyyy-MM-ddTHH:mm:ssZ"));
            var shrunk = await _cli.RunAsync("cluster", "resize", "rz", "--workers", "1");

            Assert.Equal(created.End.AddMinutes(30), extended.End);
            Assert.True(text.ExitCode == 0, text.StandardError);
            Assert.Equal($"cluster rz now ends at {created.End.AddHours(2):u}", text.StandardOutput.Trim());
            Assert.Equal((3, 4), (grown.Spec.Workers, grown.NodesTotal));
            Assert.Equal(4, ready.NodesReady);
            Assert.Equal(2, zero.ExitCode);
            Assert.Single(zero.StandardError.Trim().Split('\n'));
            Assert.Contains("workers", zero.StandardError, StringComparison.Ordinal);
            Assert.Equal(2, backwards.ExitCode);
            Assert.Single(backwards.StandardError.Trim().Split('\n'));
            Assert.Contains("is not after the cluster's current end", backwards.StandardError, StringComparison.Ordinal);
            Assert.True(shrunk.ExitCode == 0, shrunk.StandardError);
            Assert.Equal("cluster rz is being resized to 1 worker (Ready)", shrunk.StandardOutput.Trim());
        }
        finally
        {
            await _cli.RunAsync("cluster", "delete", "rz", "--wait");
        }
    }
}
