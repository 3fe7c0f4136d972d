using Admin.Web.Portal;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Admin.Web.Components.Pages.IceTest;

/// <summary>
/// The ICE test page: vends short-lived credentials for the chosen realm on the server (<see cref="IceTestCredentials"/>),
/// runs wwwroot/js/ice-test.js in the operator's browser for one transport, and shows what it found with a diagnosis
/// (<see cref="IceTestDiagnosis"/>). Realm admins can only pick their own realm.
/// </summary>
public sealed partial class IceTestPage
{
    private static readonly (string Transport, string Title)[] Transports = [("udp", "UDP"), ("tcp", "TCP"), ("turns", "TLS (turns)")];

    /// <summary>How long the browser waits for relay candidates and the data channel.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(12);

    private readonly Dictionary<string, (string Realm, IceTestResult Result, bool Ok, string Diagnosis)> _results = new(StringComparer.Ordinal);
    private IReadOnlyList<string>? _realms;
    private string? _realm;
    private string? _running;
    private IJSObjectReference? _module;

    [Inject] private IceTestCredentials Credentials { get; set; } = null!;

    [Inject] private Admin.Data.Administration.RealmAdministration Realms { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private IJSRuntime JS { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        await TryAsync(async actor =>
        {
            var realms = await Realms.ListAsync(actor, CancellationToken.None);
            _realms = realms.Select(r => r.Name).ToList();
        });
        _realms ??= [];
        // One realm (always so for a realm admin): nothing to choose.
        _realm = _realms.Count > 0 ? _realms[0] : null;
    }

    private async Task RunAsync(string transport)
    {
        if (_realm is null) return;
        _running = transport;
        var realm = _realm;
        try
        {
            EphemeralCredential? credential = null;
            var host = new Uri(Navigation.BaseUri).Host;
            if (!await TryAsync(async actor => credential = await Credentials.ForAsync(actor, realm, host, CancellationToken.None))) return;
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/ice-test.js");
            var result = await _module.InvokeAsync<IceTestResult>("run", TimeSpan.FromSeconds(40), credential!.IceServersJson, transport,
                new { timeoutMs = Timeout.TotalMilliseconds, throughputMs = 3000 });
            var (ok, diagnosis) = IceTestDiagnosis.Diagnose(result);
            _results[transport] = (realm, result, ok, diagnosis);
        }
        finally
        {
            _running = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is null) return;
        try
        {
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone with the tab: nothing to release.
        }
    }
}
