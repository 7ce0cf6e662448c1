#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for NodeService: the Wine 10 test bed (our Windows: a
# Debian 13 root made by .ci/wine-bed.sh, since Node 24 does not run under Debian 12's Wine 8), mingw's binutils
# (windmc, the message compiler our compiler is checked against) and C compiler (the benchmark's
# floor service), wixl and msitools (`npm run package` builds the MSI with wixl; msiinfo reads it), then the npm packages of both package folders. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v x86_64-w64-mingw32-windmc >/dev/null 2>&1 || missing+=(binutils-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64)
command -v wixl >/dev/null 2>&1 || missing+=(wixl)
command -v msiinfo >/dev/null 2>&1 || missing+=(msitools)
if ((${#missing[@]})); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
fi

bash .ci/wine-bed.sh

# The main folder (Linux tools, and the Linux Node 24.21.0 that npm scripts run on), then the
# Windows-only packages (koffi's win32 addon, node.exe) in their own folder.
npm ci --no-audit --no-fund
npm run setup
