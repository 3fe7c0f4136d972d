using System.Globalization;

namespace Admin.Web.Cli;

/// <summary>How the text output writes values: times in UTC "u" form, numbers invariant.</summary>
internal static class CliText
{
    public static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture);

    public static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "default";
}
