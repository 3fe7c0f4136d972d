using Admin.Data.Administration;

namespace Admin.E2E.Tests.Api;

/// <summary>An HTTP client that sends one API token, and that token as created.</summary>
public sealed record TokenClient(HttpClient Http, CreatedApiToken Token) : IDisposable
{
    public void Dispose() => Http.Dispose();
}
