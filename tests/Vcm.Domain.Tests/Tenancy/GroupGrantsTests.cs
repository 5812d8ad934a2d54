using Vcm.Domain.Tenancy;
using Xunit;

namespace Vcm.Domain.Tests.Tenancy;

public sealed class GroupGrantsTests
{
    private static GroupGrant Parse(string text) =>
        GroupGrant.TryParse(text, out var grant, out var problem) ? grant! : throw new InvalidOperationException(problem);

    private static readonly IReadOnlyList<GroupGrant> Grants =
    [
        Parse("vcm-tenant-a-members=tenant-a:member"),
        Parse("vcm-tenant-a-admins=tenant-a:tenant-admin"),
        Parse("vcm-tenant-b-admins=tenant-b:tenant-admin"),
        Parse("cn=vcm,ou=groups=provider"),
    ];

    [Theory]
    [InlineData("g=lab:member", "g", "lab", Role.Member)]
    [InlineData("cn=x,ou=y=lab:tenant-admin", "cn=x,ou=y", "lab", Role.TenantAdmin)]
    [InlineData("ops=provider", "ops", null, Role.Provider)]
    public void Parse_ReadsGroupTenantAndRole(string text, string group, string? tenant, Role role) =>
        Assert.Equal(new GroupGrant(group, tenant, role), Parse(text));

    [Theory]
    [InlineData("nogroup")]
    [InlineData("=lab:member")]
    [InlineData("g=lab")]
    [InlineData("g=Lab!:member")]
    [InlineData("g=lab:provider")]
    [InlineData("g=lab:owner")]
    public void Parse_RefusesWhatIsNotAGrant_SayingTheSyntax(string text)
    {
        Assert.False(GroupGrant.TryParse(text, out var grant, out var problem));
        Assert.Null(grant);
        Assert.Contains(GroupGrant.Syntax, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_TakesTheHighestRoleAmongTheUsersGroups() =>
        Assert.Equal(Grants[1], GroupGrants.Choose(Grants, ["staff", "vcm-tenant-a-members", "vcm-tenant-a-admins"]));

    [Fact]
    public void Choose_OfEqualRoles_TakesTheOneConfiguredFirst() =>
        Assert.Equal(Grants[1], GroupGrants.Choose(Grants, ["vcm-tenant-b-admins", "vcm-tenant-a-admins"]));

    [Fact]
    public void Choose_TheProviderGroupWins() =>
        Assert.Equal(Role.Provider, GroupGrants.Choose(Grants, ["vcm-tenant-a-admins", "cn=vcm,ou=groups"])!.Role);

    [Fact]
    public void Choose_NoMappedGroup_GivesNothing() =>
        Assert.Null(GroupGrants.Choose(Grants, ["staff", "VCM-TENANT-A-ADMINS"]));
}
