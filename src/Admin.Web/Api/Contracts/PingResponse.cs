namespace Admin.Web.Api.Contracts;

/// <summary>
/// GET /api/v1/ping: the API answers (no token needed), with the build it runs: <c>version</c> (e.g. 0.13.0, from
/// Directory.Build.props) and <c>commit</c> (the git commit it was built from; empty when unknown).
/// </summary>
public sealed record PingResponse(string Status, string Version, string Commit);
