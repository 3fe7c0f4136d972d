using System.Net;
using Admin.Data.Administration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;

namespace Admin.Data.Tests;

/// <summary>
/// The relay's built-in denials and the global deny rules are a floor: a realm admin cannot add an allow rule that
/// overlaps them (issue 13); a superuser can, and a global allow rule is shown as an exception.
/// </summary>
public sealed class PeerRuleFloorTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private PeerRuleAdministration Rules => new(
        fixture.Services.GetRequiredService<IDbContextFactory<AdminDbContext>>(),
        fixture.Services.GetRequiredService<AuditWriter>(),
        new ListedDenials());

    [Theory]
    [InlineData("127.0.0.0/8")]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("126.0.0.0-128.0.0.0")]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    [InlineData("fe80::1")]
    public async Task Add_RealmAdminsAllowOverlappingABuiltInDenial_IsRefusedWithTheReason(string range)
    {
        var realm = await fixture.AddRealmAsync();
        var admin = AdminActor.RealmAdmin("ra", realm, "192.0.2.9");
        var auditBefore = await fixture.AuditCountAsync();

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => Rules.AddAsync(admin, realm, PeerRuleKind.Allow, range, None));

        Assert.Equal(AdminErrorCode.InvalidInput, error.Code);
        Assert.Equal("range", error.Field);
        Assert.Contains("built-in denials", error.Message, StringComparison.Ordinal);
        Assert.Contains("superuser", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM allowed_peer_ip WHERE realm = $1", realm));
        Assert.Equal(auditBefore, await fixture.AuditCountAsync());
    }

    [Fact]
    public async Task Add_RealmAdminsAllowOutsideTheFloor_AndTheirDenies_AreStored()
    {
        var realm = await fixture.AddRealmAsync();
        var admin = AdminActor.RealmAdmin("ra", realm, "192.0.2.9");

        await Rules.AddAsync(admin, realm, PeerRuleKind.Allow, "203.0.113.7", None);
        await Rules.AddAsync(admin, realm, PeerRuleKind.Deny, "127.0.0.0/8", None);

        Assert.Equal(2, (await Rules.ListAsync(admin, realm, None)).Count);
    }

    [Fact]
    public async Task Add_RealmAdminsAllowOverlappingAGlobalDeny_IsRefused()
    {
        var realm = await fixture.AddRealmAsync();
        var globalDeny = $"198.51.{Random.Shared.Next(0, 255)}.0/24";
        await Rules.AddAsync(fixture.Superuser, "", PeerRuleKind.Deny, globalDeny, None);
        var admin = AdminActor.RealmAdmin("ra", realm, null);

        var error = await Assert.ThrowsAsync<AdminOperationException>(() => Rules.AddAsync(admin, realm, PeerRuleKind.Allow, globalDeny.Replace(".0/24", ".9", StringComparison.Ordinal), None));

        Assert.Equal("range", error.Field);
        Assert.Contains("global deny", error.Message, StringComparison.Ordinal);
        await Rules.DeleteAsync(fixture.Superuser, "", PeerRuleKind.Deny, globalDeny, None);
    }

    [Fact]
    public async Task Add_SuperusersGlobalAllow_IsAnExceptionToTheBuiltInDenial()
    {
        var rules = Rules;
        var exception = $"127.0.{Random.Shared.Next(1, 255)}.1";

        await rules.AddAsync(fixture.Superuser, "", PeerRuleKind.Allow, exception, None);

        var overlapped = rules.BuiltInDenialsOverlapping(exception);
        Assert.Equal(["loopback"], overlapped.Select(d => d.Reason));
        Assert.Empty(rules.BuiltInDenialsOverlapping("203.0.113.0/24"));
        await rules.DeleteAsync(fixture.Superuser, "", PeerRuleKind.Allow, exception, None);
    }

    [Fact]
    public async Task Add_WithoutARelayPolicy_OnlyTheGlobalDenyCheckApplies()
    {
        // CLI-only processes have no IPeerPolicy; the relay still ignores such a rule for the denied addresses.
        var realm = await fixture.AddRealmAsync();
        await fixture.PeerRules.AddAsync(AdminActor.RealmAdmin("ra", realm, null), realm, PeerRuleKind.Allow, "127.0.0.1", None);
        Assert.Single(await fixture.PeerRules.ListAsync(fixture.Superuser, realm, None));
    }

    private sealed class ListedDenials : IPeerPolicy
    {
        public bool IsAllowed(IPAddress peer, RealmPolicy realmPolicy, RealmPolicy globalPolicy) => true;

        public IReadOnlyList<BuiltInPeerDenial> BuiltInDenials { get; } =
        [
            new(["0.0.0.0", "::"], "unspecified", false),
            new(["127.0.0.0/8", "::1"], "loopback", true),
            new(["169.254.0.0/16", "fe80::/10"], "link-local", true),
            new(["169.254.169.254"], "cloud metadata: instance metadata", true),
        ];
    }
}
