using System.Net;
using System.Text.RegularExpressions;

namespace Turnstone.TestSupport.Clients;

/// <summary>
/// coturn's turnutils_stunclient: one Binding request over UDP. It can block forever when nothing
/// answers, so it runs under `timeout`. It prints (on stdout, sometimes twice):
/// <c>0: : IPv4. UDP reflexive addr: 127.0.0.1:59615</c> or <c>0: : IPv6. UDP reflexive addr: ::1:36610</c>
/// </summary>
public static partial class TurnutilsStunClient
{
    public const string Executable = "turnutils_stunclient";

    public static async Task<StunClientResult> RunAsync(string host, int port, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var seconds = (int)Math.Ceiling((timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds);
        var result = await ExternalProcess.RunAsync(
            "timeout",
            ["--kill-after=2", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), Executable, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), host],
            TimeSpan.FromSeconds(seconds + 5),
            cancellationToken).ConfigureAwait(false);
        return new StunClientResult(ParseMappedAddress(result.StandardOutput + result.StandardError), result);
    }

    /// <summary>The last "UDP reflexive addr: ADDRESS:PORT" in the output (IPv6 addresses come unbracketed).</summary>
    public static IPEndPoint? ParseMappedAddress(string output)
    {
        IPEndPoint? mapped = null;
        foreach (Match match in ReflexiveAddress().Matches(output))
        {
            if (TryParseEndPoint(match.Groups["endpoint"].Value, out var endpoint))
            {
                mapped = endpoint;
            }
        }

        return mapped;
    }

    // coturn prints IPv6 endpoints unbracketed ("::1:36610"): the port follows the last colon.
    private static bool TryParseEndPoint(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        endpoint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort
            || !IPAddress.TryParse(text.AsSpan(0, colon).Trim("[]"), out var address))
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    [GeneratedRegex(@"UDP reflexive addr: (?<endpoint>\S+)")]
    private static partial Regex ReflexiveAddress();
}
