namespace Admin.Web.Portal;

/// <summary>An icecandidateerror event: the TURN URL, the STUN error code (401, 701...) and the browser's text.</summary>
public sealed record IceTestError(string Url, int Code, string Text);
