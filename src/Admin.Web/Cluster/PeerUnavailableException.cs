namespace Admin.Web.Cluster;

/// <summary>A peer did not answer a command in time, or answered with an error (the API turns it into 503).</summary>
public sealed class PeerUnavailableException(string node, string reason, Exception? inner = null)
    : Exception($"Node '{node}' did not answer: {reason}.", inner)
{
    public string Node { get; } = node;
}
