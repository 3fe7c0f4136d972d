using System.Globalization;
using System.Text.RegularExpressions;

namespace Turnstone.TestSupport.Clients;

/// <summary>
/// coturn's turnutils_uclient, run under `timeout` with bounded counts. Lines it prints that are
/// parsed (coturn 4.6.1; each line starts with a seconds counter, "N: : "):
/// <code>
/// 3: : start_mclient: tot_send_msgs=20, tot_recv_msgs=20
/// 3: : start_mclient: tot_send_bytes ~ 2000, tot_recv_bytes ~ 2000
/// 3: : Total lost packets 0 (0.000000%), total send dropped 0 (0.000000%)
/// 3: : Average round trip delay 0.000000 ms; min = 0 ms, max = 0 ms
/// 0: : ERROR: Cannot complete Allocation        (refused credentials; exit code 255)
/// 0: : channel bind: error 403 (Forbidden)      (a refused request: its error code is collected)
/// </code>
/// The "start_mclient: msz=1, tot_send_msgs=0, ..." progress lines are skipped: the totals are
/// the last tot_send_msgs line.
/// </summary>
public static partial class TurnutilsUclient
{
    public const string Executable = "turnutils_uclient";

    public static async Task<UclientResult> RunAsync(TurnServerTarget server, UclientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        var seconds = (int)Math.Ceiling(options.Timeout.TotalSeconds);
        var process = await ExternalProcess.RunAsync(
            "timeout",
            ["--kill-after=2", Invariant(seconds), Executable, .. BuildArguments(server, options)],
            TimeSpan.FromSeconds(seconds + 5),
            cancellationToken).ConfigureAwait(false);
        return Parse(process);
    }

    /// <summary>The uclient command line (without `timeout`), for logs and reports.</summary>
    public static IReadOnlyList<string> BuildArguments(TurnServerTarget server, UclientOptions options)
    {
        var arguments = new List<string>();
        switch (server.Transport)
        {
            case ClientTransport.Tcp:
                arguments.Add("-t");
                break;
            case ClientTransport.Tls:
                arguments.Add("-t");
                arguments.Add("-S");
                if (options.CaFile is not null)
                {
                    arguments.AddRange(["-E", options.CaFile]);
                }

                break;
        }

        if (options.NoRtcp)
        {
            arguments.Add("-c");
        }

        if (options.UseSendIndications)
        {
            arguments.Add("-s");
        }

        if (options.ClientToClient)
        {
            arguments.Add("-y");
        }

        if (options.Verbose)
        {
            arguments.Add("-v");
        }

        arguments.AddRange([
            "-n", Invariant(options.Messages),
            "-m", Invariant(options.Clients),
            "-l", Invariant(options.MessageLength),
            "-e", options.PeerAddress,
            "-r", Invariant(options.PeerPort),
            "-u", server.User,
            "-w", server.Password,
            "-p", Invariant(server.Port),
            server.Host,
        ]);
        return arguments;
    }

    public static UclientResult Parse(ProcessResult process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var output = process.StandardOutput + "\n" + process.StandardError;
        long? sent = null, received = null, sentBytes = null, receivedBytes = null, lost = null, dropped = null;
        double? lostPercent = null, rtt = null;

        if (Last(Messages(), output) is { } messages)
        {
            sent = Long(messages.Groups["sent"]);
            received = Long(messages.Groups["received"]);
        }

        if (Last(Bytes(), output) is { } bytes)
        {
            sentBytes = Long(bytes.Groups["sent"]);
            receivedBytes = Long(bytes.Groups["received"]);
        }

        if (Last(Lost(), output) is { } loss)
        {
            lost = Long(loss.Groups["lost"]);
            lostPercent = double.Parse(loss.Groups["percent"].Value, CultureInfo.InvariantCulture);
            dropped = Long(loss.Groups["dropped"]);
        }

        if (Last(RoundTrip(), output) is { } roundTrip)
        {
            rtt = double.Parse(roundTrip.Groups["average"].Value, CultureInfo.InvariantCulture);
        }

        var allocationFailed = output.Contains("Cannot complete Allocation", StringComparison.Ordinal);
        var errorCodes = ErrorCode().Matches(output).Select(m => int.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture)).Distinct().ToList();
        return new UclientResult(process, sent, received, sentBytes, receivedBytes, lost, lostPercent, dropped, rtt, allocationFailed, errorCodes);
    }

    private static Match? Last(Regex regex, string output)
    {
        Match? last = null;
        foreach (Match match in regex.Matches(output))
        {
            last = match;
        }

        return last;
    }

    private static long Long(Group group) => long.Parse(group.Value, CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    // The final totals line has no "msz=" between "start_mclient:" and "tot_send_msgs".
    [GeneratedRegex(@"start_mclient: tot_send_msgs=(?<sent>\d+), tot_recv_msgs=(?<received>\d+)")]
    private static partial Regex Messages();

    [GeneratedRegex(@"start_mclient: tot_send_bytes ~ (?<sent>\d+), tot_recv_bytes ~ (?<received>\d+)")]
    private static partial Regex Bytes();

    [GeneratedRegex(@"Total lost packets (?<lost>\d+) \((?<percent>[\d.]+)%\), total send dropped (?<dropped>\d+)")]
    private static partial Regex Lost();

    [GeneratedRegex(@": error (?<code>\d{3}) ")]
    private static partial Regex ErrorCode();

    [GeneratedRegex(@"Average round trip delay (?<average>[\d.]+) ms")]
    private static partial Regex RoundTrip();
}
