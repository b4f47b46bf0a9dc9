#!/usr/bin/env bash
# Set up everything mailkit needs on a fresh machine, and nothing twice:
#   - a .venv with mailkit installed (editable) and its test tools,
#   - Chromium and the fonts the visual tests use (Debian packages), when missing,
#   - SpamAssassin's spamd and spamc (Debian packages), when missing, for
#     `mailkit check --spam`, which `make test` runs,
#   - axe-core for the preview site's accessibility tests (npm, pinned by
#     tests/a11y/package-lock.json, into the git-ignored tests/a11y/node_modules).
# Usage: scripts/bootstrap.sh [--no-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
want_browser=1
[ "${1:-}" = "--no-browser" ] && want_browser=0

# 1. The virtualenv and the package. Reinstall only when pyproject.toml changed.
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.mailkit-installed
sum=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  echo "$sum" > "$stamp"
fi
# mailkit's own bytecode, written once: with PYTHONDONTWRITEBYTECODE set (as on some CI
# images), an editable install would otherwise compile ~45 modules at every command
# start, 60-90 ms of a cold `mailkit build`. Stale files are recompiled (timestamps).
.venv/bin/python -m compileall -q src
# The preview site's Jinja templates are mailkit's too: compiled once, beside them.
.venv/bin/python -c "from mailkit.site import precompile; precompile()"

# 2. Chromium and fonts. A user's own browser wins (MAILKIT_CHROMIUM); then Debian's.
have_fonts() { fc-list 2>/dev/null | grep -qi "Liberation Sans" && fc-list 2>/dev/null | grep -qi "Noto Color Emoji"; }
if [ "$want_browser" = 1 ]; then
  if [ -n "${MAILKIT_CHROMIUM:-}" ] && [ -x "${MAILKIT_CHROMIUM}" ] && have_fonts; then
    :
  elif [ ! -x /usr/bin/chromium ] || ! have_fonts; then
    if command -v apt-get >/dev/null 2>&1; then
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
      echo "bootstrap: installing chromium and fonts (apt-get)" >&2
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        chromium fonts-liberation fonts-noto-color-emoji fontconfig >/dev/null
    else
      echo "bootstrap: no /usr/bin/chromium and no apt-get: set MAILKIT_CHROMIUM to a Chromium binary" >&2
    fi
  fi
fi

# 3. SpamAssassin, for `mailkit check --spam` (local rules only: nothing here runs
#    sa-update or any network test). A user's own spamd wins (MAILKIT_SPAMD).
have_spamassassin() {
  [ -n "${MAILKIT_SPAMD:-}" ] && return 0
  { command -v spamd || [ -x /usr/sbin/spamd ]; } >/dev/null 2>&1 && command -v spamc >/dev/null 2>&1
}
if ! have_spamassassin; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "bootstrap: installing spamassassin's spamd and spamc (apt-get)" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq spamd spamc >/dev/null
  else
    echo "bootstrap: no spamd and no apt-get: install SpamAssassin or set MAILKIT_SPAMD" \
         "(mailkit check --spam)" >&2
  fi
fi

# 4. axe-core (npm), for tests/site/test_site_a11y.py only: never shipped in the package.
a11y=tests/a11y
if command -v npm >/dev/null 2>&1; then
  a11y_sum=$(sha256sum "$a11y/package-lock.json" | cut -d' ' -f1)
  a11y_stamp="$a11y/node_modules/.mailkit-installed"
  if [ ! -f "$a11y_stamp" ] || [ "$(cat "$a11y_stamp")" != "$a11y_sum" ]; then
    (cd "$a11y" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$a11y_sum" > "$a11y_stamp"
  fi
else
  echo "bootstrap: no npm: the preview's accessibility tests (axe-core) cannot run" >&2
fi

# 5. The official MJML 5 compiler (npm, pinned by benchmarks/package-lock.json): what
#    `make bench` compares with, and what the MJML validator's fidelity tests check
#    mailkit's findings and rules data against (tests/mjml/test_mjml_validate.py).
if command -v npm >/dev/null 2>&1; then
  mjml_sum=$(sha256sum benchmarks/package-lock.json | cut -d' ' -f1)
  mjml_stamp=benchmarks/node_modules/.mailkit-installed
  if [ ! -f "$mjml_stamp" ] || [ "$(cat "$mjml_stamp")" != "$mjml_sum" ]; then
    (cd benchmarks && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$mjml_sum" > "$mjml_stamp"
  fi
else
  echo "bootstrap: no npm: the MJML validator's comparison with MJML itself cannot run" >&2
fi
