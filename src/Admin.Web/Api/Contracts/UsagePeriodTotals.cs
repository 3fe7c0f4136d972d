namespace Admin.Web.Api.Contracts;

/// <summary>Totals of one period (its UTC start) at the response's resolution; periods without usage are left out.</summary>
public sealed record UsagePeriodTotals(DateTimeOffset PeriodStart, long BytesIn, long BytesOut, double AllocationSeconds);
