using Admin.Data.Administration;

namespace Admin.Data.Tests;

/// <summary>
/// The Users page's unfiltered total comes from turnstone_realm_user_count, kept by statement-level triggers: it must
/// match COUNT(*) after every kind of write (service, COPY import, raw SQL as coturn's tools do, realm moves, deletes, truncate).
/// </summary>
public sealed class UserCountTests(AdminDataFixture fixture) : IClassFixture<AdminDataFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Total_FollowsEveryKindOfWrite()
    {
        var realm = await fixture.AddRealmAsync();
        var other = await fixture.AddRealmAsync();
        Assert.Equal(0, (await fixture.Users.ListAsync(fixture.Superuser, realm, null, 0, 10, None)).TotalCount);

        await fixture.Users.AddAsync(fixture.Superuser, realm, "one", "pw", None);
        await AssertTotal(realm, 1);

        var rows = Enumerable.Range(0, 500).Select(i => new UserImportRow(i + 2, $"bulk{i}", "pw", null)).ToList();
        Assert.True((await fixture.Users.ImportAsync(fixture.Superuser, realm, rows, None)).Succeeded);
        await AssertTotal(realm, 501);

        // A refused import (duplicate) changes nothing, the count included.
        var refused = await fixture.Users.ImportAsync(fixture.Superuser, realm, [new UserImportRow(2, "one", "pw", null)], None);
        Assert.False(refused.Succeeded);
        await AssertTotal(realm, 501);

        // coturn's tools write with plain SQL.
        await fixture.ExecuteAsync("INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, 'raw1', '00112233445566778899aabbccddeeff'), ($1, 'raw2', '00112233445566778899aabbccddeeff')", realm);
        await AssertTotal(realm, 503);

        // A password change or disable keeps the count; moving users to another realm moves their count.
        await fixture.Users.SetDisabledAsync(fixture.Superuser, realm, "one", true, null, None);
        await fixture.ExecuteAsync("UPDATE turnusers_lt SET realm = $2 WHERE realm = $1 AND name LIKE 'bulk1%'", realm, other);
        await AssertTotal(realm, 392);
        await AssertTotal(other, 111);

        await fixture.Users.DeleteAsync(fixture.Superuser, realm, "one", None);
        await AssertTotal(realm, 391);
        await fixture.Realms.DeleteAsync(fixture.Superuser, other, None);
        await AssertTotal(realm, 391);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT coalesce(sum(users), 0)::bigint FROM turnstone_realm_user_count WHERE realm = $1", other));

        // A rolled-back write leaves the count alone.
        await using (var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new Npgsql.NpgsqlCommand(
                "INSERT INTO turnusers_lt (realm, name, hmackey) SELECT realm, name || '-copy', hmackey FROM turnusers_lt WHERE realm = $1", connection, transaction);
            insert.Parameters.AddWithValue(realm);
            Assert.Equal(391, await insert.ExecuteNonQueryAsync());
            await transaction.RollbackAsync();
        }
        await AssertTotal(realm, 391);
    }

    private async Task AssertTotal(string realm, int expected)
    {
        var actual = await fixture.ScalarAsync<long>("SELECT count(*) FROM turnusers_lt WHERE realm = $1", realm);
        Assert.Equal(expected, actual);
        Assert.Equal(expected, (await fixture.Users.ListAsync(fixture.Superuser, realm, null, 0, 1, None)).TotalCount);
    }
}
