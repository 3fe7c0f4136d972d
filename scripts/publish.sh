#!/usr/bin/env bash
# Builds the production layout of Turnstone (instead of run.sh, which builds and runs from the source tree):
#   scripts/publish.sh [OUT]          (default OUT: ./.publish/turnstone)
# OUT then holds the framework-dependent `turnstone` program for this machine's platform, precompiled with ReadyToRun
# (needs the ASP.NET Core 10 runtime; the SDK has it),
# its assemblies, wwwroot and the shipped appsettings.json, plus the systemd unit, its drain helper, an example
# environment file, the docs, LICENSE and CHANGELOG.md. docs/PRODUCTION.md installs it as /opt/turnstone, with
# settings in /etc/turnstone and data in /var/lib/turnstone.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.publish/turnstone}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v dotnet >/dev/null || { echo "publish.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

# For this machine's platform, precompiled (ReadyToRun), still framework-dependent: what docs/PERFORMANCE.md measured.
case "$(uname -m)" in x86_64) rid=(-r linux-x64) ;; aarch64) rid=(-r linux-arm64) ;; *) rid=() ;; esac
rm -rf "$out"
dotnet publish src/Admin.Web/Admin.Web.csproj -c Release "${rid[@]}" --self-contained false -o "$out" -nologo -v quiet >&2
install -m 0755 deploy/systemd/turnstone-drain.sh "$out/turnstone-drain.sh"
install -d "$out/deploy/systemd" "$out/docs"
install -m 0644 deploy/systemd/turnstone.service deploy/systemd/turnstone.env.example "$out/deploy/systemd/"
install -m 0644 docs/*.md "$out/docs/"
install -m 0644 README.md LICENSE CHANGELOG.md "$out/"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
echo "publish.sh: turnstone $version in $out" >&2
echo "$out"
