using Admin.Data.Administration;
using Microsoft.Playwright;
using static Admin.E2E.Tests.Portal.PortalPages;

namespace Admin.E2E.Tests.Portal;

/// <summary>The Peer rules page marks a superuser's global allow rule over a built-in denial as an exception (issue 13).</summary>
[Collection(ManagementCollection.Name)]
public sealed class PeerRulesPageTests(ManagementFixture portal)
{
    [Fact]
    public async Task GlobalAllowOverLinkLocal_IsShownAsAnExceptionToTheBuiltInDenial()
    {
        var range = $"169.254.{Random.Shared.Next(1, 168)}.9";
        var rules = portal.Get<PeerRuleAdministration>();
        await rules.AddAsync(ManagementFixture.Setup, "", PeerRuleKind.Allow, range, CancellationToken.None);
        try
        {
            var page = await portal.NewPageAsync();
            await SignInAsync(page, "admin", PortalFixture.AdminPassword);
            await OpenAsync(page, "peer-rules");

            var row = page.GetByTestId("rules-table").Locator("tr", new() { HasText = range });
            await Assertions.Expect(row.GetByTestId("rule-exception")).ToContainTextAsync("exception to built-in denial: link-local");
            await Assertions.Expect(page.GetByTestId("rules-builtin")).ToContainTextAsync("cloud metadata: Alibaba Cloud instance metadata");
        }
        finally
        {
            await rules.DeleteAsync(ManagementFixture.Setup, "", PeerRuleKind.Allow, range, CancellationToken.None);
        }
    }
}
