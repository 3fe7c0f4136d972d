namespace Admin.Web.Api.Contracts;

/// <summary>What a CSV import did: new users added (Imported), existing users whose key was replaced (?existing=update), and rows skipped (?existing=skip).</summary>
public sealed record UserImportResponse(int Imported, int Updated = 0, int Skipped = 0);
