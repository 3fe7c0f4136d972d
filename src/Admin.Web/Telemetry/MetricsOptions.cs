using System.Net;

namespace Admin.Web.Telemetry;

/// <summary>
/// The Prometheus scrape endpoint (configuration section "Metrics"). It has a listener of its own, so it can be
/// exposed (or firewalled) without the portal; the portal's port does not serve it.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Port of the metrics listener (default 9641, as coturn's). 0 turns the endpoint off.</summary>
    public int Port { get; set; } = 9641;

    /// <summary>Path of the scrape endpoint (default /metrics).</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// Address the metrics listener binds (default 127.0.0.1, like the portal; 0.0.0.0 or :: to let a Prometheus on
    /// another host scrape it).
    /// </summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// When set, scrapes must send "Authorization: Bearer &lt;token&gt;" (Prometheus: authorization.credentials);
    /// others get 401. At least 16 characters; empty = none (the default: the metrics carry no user names or addresses).
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>The default of <see cref="CardinalityLimit"/>.</summary>
    public const int DefaultCardinalityLimit = 500;

    /// <summary>
    /// The most series (combinations of label values) one metric keeps, for the scrape endpoint and OTLP alike (default
    /// 500, 10 to 100,000); further combinations are counted in the metric's overflow series
    /// (<c>otel_metric_overflow="true"</c>). OpenTelemetry sets this many data points aside per metric at start: its own
    /// default of 2,000 held about 6 MB of an idle <c>serve</c> for about 80 metrics whose series number in the tens
    /// (docs/PERFORMANCE.md).
    /// </summary>
    public int CardinalityLimit { get; set; } = DefaultCardinalityLimit;

    /// <summary>Null when valid, else a message naming the bad key.</summary>
    internal string? Validate()
    {
        if (CardinalityLimit is < 10 or > 100_000)
            return $"{Section}:{nameof(CardinalityLimit)} must be between 10 and 100000 (is {CardinalityLimit}).";
        if (Port is < 0 or > 65535) return $"{Section}:{nameof(Port)} must be 0 (off) or 1-65535 (is {Port}).";
        if (Port == 0) return null;
        if (string.IsNullOrEmpty(Path) || Path[0] != '/' || Path.Length > 200 || Path.Any(c => char.IsWhiteSpace(c) || c is '?' or '#'))
            return $"{Section}:{nameof(Path)} must be a URL path starting with '/' (is '{Path}').";
        if (!IPAddress.TryParse(ListenAddress, out _))
            return $"{Section}:{nameof(ListenAddress)} must be an IP address such as 127.0.0.1 or 0.0.0.0 (is '{ListenAddress}').";
        if (!string.IsNullOrEmpty(BearerToken) && BearerToken.Length < 16)
            return $"{Section}:{nameof(BearerToken)} must be at least 16 characters when set.";
        return null;
    }

    /// <summary>The URL Kestrel listens on for metrics.</summary>
    internal string ListenUrl
    {
        get
        {
            var address = IPAddress.Parse(ListenAddress);
            var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            return $"http://{host}:{Port}";
        }
    }
}
