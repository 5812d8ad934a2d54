using Vcm.Cli.Infrastructure;
using Vcm.Testing;
using Xunit;

namespace Vcm.Cli.Tests.Infrastructure;

/// <summary>Where `vcm agent` takes its join token from, so that `vcm up` never puts it in a process's arguments.</summary>
public sealed class JoinTokenSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new("vcm-join");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_MakesAnOwnerOnlyFile_ThatResolveReads()
    {
        var file = JoinTokenSource.Write(_dir.Combine("agent"), "join-0123456789");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("join-0123456789", JoinTokenSource.Resolve(null, file));
        Assert.Equal("join-other", JoinTokenSource.Resolve(null, JoinTokenSource.Write(_dir.Combine("agent"), "join-other")));
    }

    [Fact]
    public void Resolve_TokenAndFileBoth_OrAMissingOrEmptyFile_IsAUsageError()
    {
        var empty = _dir.Combine("empty");
        File.WriteAllText(empty, "\n");

        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => JoinTokenSource.Resolve("t", empty)).ExitCode);
        Assert.Contains("empty", Assert.Throws<CliException>(() => JoinTokenSource.Resolve(null, empty)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", Assert.Throws<CliException>(() => JoinTokenSource.Resolve(null, _dir.Combine("none"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WithoutOptions_TakesTheEnvironmentVariable_AndTheOptionWins()
    {
        Environment.SetEnvironmentVariable(JoinTokenSource.EnvironmentVariable, "from-env");
        try
        {
            Assert.Equal("from-env", JoinTokenSource.Resolve(null, null));
            Assert.Equal("typed", JoinTokenSource.Resolve("typed", null));
        }
        finally
        {
            Environment.SetEnvironmentVariable(JoinTokenSource.EnvironmentVariable, null);
        }

        Assert.Null(JoinTokenSource.Resolve(null, null));
    }
}
