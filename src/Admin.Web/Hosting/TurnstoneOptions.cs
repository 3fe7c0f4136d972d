using System.ComponentModel.DataAnnotations;

namespace Admin.Web.Hosting;

/// <summary>Process-wide settings (configuration section "Turnstone").</summary>
public sealed class TurnstoneOptions
{
    public const string Section = "Turnstone";

    /// <summary>
    /// Where the server keeps local files such as the generated bootstrap admin password
    /// (default ./.data, relative to the working directory).
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "./.data";
}
