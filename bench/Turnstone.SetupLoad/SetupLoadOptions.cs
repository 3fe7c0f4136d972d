using System.Globalization;
using System.Net;

namespace Turnstone.SetupLoad;

/// <summary>The command line: <c>--server 127.0.0.1:3478 --transport udp|tcp --sessions N --concurrency K --user U
/// --password P --peer 127.0.0.1:9</c>.</summary>
internal sealed record SetupLoadOptions(IPEndPoint Server, bool Tcp, int Sessions, int Concurrency, string User, string Password, IPEndPoint Peer)
{
    public static SetupLoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Expected an option, got '{args[i]}'.");
            values[args[i][2..]] = args[i + 1];
        }
        string Get(string key, string? fallback = null) =>
            values.TryGetValue(key, out var value) ? value : fallback ?? throw new ArgumentException($"--{key} is required.");
        var transport = Get("transport", "udp");
        if (transport is not ("udp" or "tcp")) throw new ArgumentException("--transport is udp or tcp.");
        var sessions = int.Parse(Get("sessions", "1000"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Get("concurrency", "100"), CultureInfo.InvariantCulture);
        if (sessions < 1 || concurrency < 1) throw new ArgumentException("--sessions and --concurrency must be at least 1.");
        return new SetupLoadOptions(IPEndPoint.Parse(Get("server")), transport == "tcp", sessions, Math.Min(concurrency, sessions),
            Get("user"), Get("password"), IPEndPoint.Parse(Get("peer", "127.0.0.1:9")));
    }
}
