using Admin.Data.Administration;
using Microsoft.Extensions.DependencyInjection;

namespace Admin.Data.Tests;

public sealed class AuditLogQueriesTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private AuditLogQueries Audit => fixture.Services.GetRequiredService<AuditLogQueries>();

    [Fact]
    public async Task List_FiltersByRealmAndAction_NewestFirst()
    {
        var realm = await fixture.AddRealmAsync();
        await fixture.Users.AddAsync(fixture.Superuser, realm, "a", "pw", None);
        await fixture.Users.AddAsync(fixture.Superuser, realm, "b", "pw", None);

        var page = await Audit.ListAsync(fixture.Superuser, new AuditQuery(Realm: realm, Action: "user.add"), 0, 10, None);

        Assert.Equal(2, page.TotalCount);
        Assert.Equal(["b", "a"], page.Items.Select(r => r.Target));
    }

    [Fact]
    public async Task List_RealmAdmin_SeesOnlyOwnRealm_AndIsRefusedOthers()
    {
        var own = await fixture.AddRealmAsync();
        var other = await fixture.AddRealmAsync();
        var admin = AdminActor.RealmAdmin("skarling", own, null);

        var page = await Audit.ListAsync(admin, new AuditQuery(), 0, 100, None);
        var error = await Assert.ThrowsAsync<AdminOperationException>(() => Audit.ListAsync(admin, new AuditQuery(Realm: other), 0, 10, None));

        Assert.All(page.Items, r => Assert.Equal(own, r.Realm));
        Assert.Contains(page.Items, r => r.Action == "realm.add");
        Assert.Equal(AdminErrorCode.Forbidden, error.Code);
    }
}
