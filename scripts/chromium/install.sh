#!/bin/sh
# Install headless Chromium from Debian (package chromium) for the test that
# opens the HTML report in a browser and takes a screenshot
# (TestReportChromium in cmd/listetak). Idempotent: does nothing when
# chromium is already on PATH. Uses sudo when not run as root.
set -eu
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(command -v chromium) already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium
command -v chromium >/dev/null 2>&1 || { echo "chromium: not on PATH after installing" >&2; exit 1; }
