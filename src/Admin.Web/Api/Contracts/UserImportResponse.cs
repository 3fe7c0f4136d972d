namespace Admin.Web.Api.Contracts;

public sealed record UserImportResponse(int Imported);
