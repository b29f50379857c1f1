#!/usr/bin/env bash
# Installs the tools that run the integration tests in a real VS Code without
# internet access (see test/integration/run-code-server.mjs):
#   - Debian packages: chromium (headless browser driving the workbench) and
#     libkrb5-dev (headers for code-server's kerberos native module)
#   - .vscode-test/node24 : Node 24 from npm (code-server refuses node 20)
#   - .vscode-test/cs     : code-server (= VS Code 1.139.1), installed with Node 24
# Idempotent: every step is skipped when its result is already present.
# Override the folder with VSCODE_TEST_TOOLS_DIR.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${VSCODE_TEST_TOOLS_DIR:-$ROOT/.vscode-test}"
NODE24_DIR="$TOOLS/node24"
CS_DIR="$TOOLS/cs"

log() { printf '[install-vscode-test-tools] %s\n' "$*"; }

mkdir -p "$TOOLS"
# Serialise concurrent runs (e.g. two test runs started at once).
exec 9>"$TOOLS/.install.lock"
flock 9

# --- 1. Debian packages -------------------------------------------------------
missing_pkgs=()
[ -x /usr/bin/chromium ] || missing_pkgs+=(chromium)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'ok installed' || missing_pkgs+=(libkrb5-dev)
# node-gyp (building code-server's native modules) needs a compiler toolchain.
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || missing_pkgs+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing_pkgs+=(python3)
if [ "${#missing_pkgs[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      log "need root to install: ${missing_pkgs[*]} (run as root or install them yourself)"; exit 1
    fi
  fi
  log "apt-get install ${missing_pkgs[*]}"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing_pkgs[@]}"
else
  log "apt packages present (chromium, libkrb5-dev)"
fi

# --- 2. Node 24 ---------------------------------------------------------------
NODE24="$NODE24_DIR/node_modules/.bin/node"
if [ -x "$NODE24" ] && [ "$("$NODE24" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
  log "node v$NODE_VERSION present"
else
  log "installing node@$NODE_VERSION into $NODE24_DIR"
  rm -rf "$NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-save --no-audit --no-fund "node@$NODE_VERSION"
  [ "$("$NODE24" --version)" = "v$NODE_VERSION" ] || { log "node@$NODE_VERSION install failed"; exit 1; }
fi

# --- 3. code-server -----------------------------------------------------------
CS_MARKER="$CS_DIR/.installed-$CODE_SERVER_VERSION-node$NODE_VERSION"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
if [ -f "$CS_MARKER" ] && [ -x "$CS_BIN" ]; then
  log "code-server $CODE_SERVER_VERSION present"
else
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (takes a minute or two)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  export PATH="$(dirname "$NODE24"):$PATH"
  # node-gyp builds code-server's native (N-API) modules. Without a configured
  # nodedir it downloads Node headers from nodejs.org; offline, fall back to the
  # system Node headers in /usr/include/node (N-API modules load under Node 24).
  if [ -z "${npm_config_nodedir:-}" ] && [ "$(npm config get nodedir 2>/dev/null)" = "undefined" ] \
     && [ -f /usr/include/node/common.gypi ]; then
    export npm_config_nodedir=/usr
  fi
  npm install --prefix "$CS_DIR" --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  "$CS_BIN" --version >/dev/null
  touch "$CS_MARKER"
fi
log "ready: $TOOLS"
