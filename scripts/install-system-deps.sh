#!/usr/bin/env bash
# Installs the Debian packages the app and the tests need, if any is missing:
# Chromium + ChromeDriver (browser tests), Pango, HarfBuzz-Subset + DejaVu fonts (WeasyPrint PDFs),
# poppler-utils (PDF → PNG in tests), nginx + openssl + redis-server (the production stack of
# make test-production), pspp and r-base-core (read the SPSS export and run the R script in the tests).
set -euo pipefail
run_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "${1:-}" = "--check-run" ]; then
  missing=()
  for p in "${run_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && exit 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages for PDFs: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  fi
  echo "Hinweis: Die Demo läuft, aber PDF-Handouts brauchen noch: ${missing[*]}" >&2
  echo "         (als root: apt-get install -y ${missing[*]})" >&2
  exit 0
fi
packages=(chromium chromium-driver nginx-light openssl redis-server libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils pspp r-base-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Please install as root: apt-get install -y ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
