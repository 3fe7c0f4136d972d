using System.Globalization;

namespace Admin.E2E.Tests.Hostile;

/// <summary>What one flood measurement saw: the flood, the legitimate client meanwhile, and the server's cost.</summary>
internal sealed record FloodFigures(
    string Mode,
    FloodResult Flood,
    CycleResult Cycles,
    long CredentialSelects,
    string SelectMethod,
    int BackendsBefore,
    int BackendsPeak,
    long ResidentBefore,
    long ResidentPeak,
    long ResidentAfter)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"[{Mode}] flood: {Flood}. Legitimate: {Cycles}. Credential SELECTs during the flood: {CredentialSelects} ({SelectMethod}). " +
        $"PostgreSQL backends {BackendsBefore} -> peak {BackendsPeak}. RSS {ResidentBefore >> 20} MB -> peak {ResidentPeak >> 20} MB -> after {ResidentAfter >> 20} MB.");
}
