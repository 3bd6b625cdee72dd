#!/usr/bin/env bash
# Debian's Chromium for the end-to-end tests (tests/web/test_e2e.py drives it with Playwright,
# executable_path=/usr/bin/chromium). Installed only when missing; needs root, as CI runs.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ci: /usr/bin/chromium is missing and this is not root: the browser tests will be skipped" >&2
    exit 0
fi
echo "ci: installing chromium and chromium-driver (Debian packages) for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-driver; } \
        >/tmp/ci-chromium.log 2>&1; then
    echo "ci: could not install chromium and chromium-driver:" >&2
    tail -20 /tmp/ci-chromium.log >&2
    exit 1
fi
