using System.Globalization;

namespace Admin.E2E.Tests.Hostile;

/// <summary>What a flood sent, and (when counted) what came back, per answer code (0 = a success response).</summary>
internal sealed record FloodResult(long Sent, long SendErrors, TimeSpan Elapsed, long Answers, long AnswerBytes, long RequestBytes, IReadOnlyDictionary<int, long> AnswerCodes)
{
    public double SentPerSecond => Sent / Math.Max(Elapsed.TotalSeconds, 1e-6);

    /// <summary>Answer bytes per request byte sent.</summary>
    public double Amplification => RequestBytes == 0 ? 0 : (double)AnswerBytes / RequestBytes;

    public long AnswersWithCode(int code) => AnswerCodes.TryGetValue(code, out var count) ? count : 0;

    public override string ToString()
    {
        var codes = string.Join(", ", AnswerCodes.OrderBy(c => c.Key).Select(c => $"{c.Key}:{c.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"sent {Sent} in {Elapsed.TotalSeconds:F2} s ({SentPerSecond:F0}/s, {SendErrors} send errors); answers {Answers} ({AnswerBytes} B, {(Answers == 0 ? 0 : AnswerBytes / Answers)} B each, amplification {Amplification:F2}); codes {codes}");
    }
}
