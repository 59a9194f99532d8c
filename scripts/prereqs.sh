#!/usr/bin/env bash
# Installs what the integration tests and `npm start` need, idempotently and pinned:
#   - Debian packages: chromium (the browser playwright-core drives), ripgrep and libkrb5-dev (code-server's
#     install needs them), default-jre-headless (the JDK parity test for the properties reader), acl and attr
#     (the safe-write tests check that ACLs and extended attributes survive a rewrite), libjackson2-databind-java and
#     libgoogle-gson-java (the products' JSON parsers, ground truth for the store rules' differential test),
#     neovim (0.7 in Debian 12: the real editor the language server's test drives headless), python3-jinja2 and ruby
#     (the real template engines the writers' tests render every branch with)
#   - code-server (VS Code's server build, from npm) into .cache/code-server-$CODE_SERVER_VERSION, git-ignored.
# Nothing here downloads from outside the npm registry and Debian's apt repository.
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
APT_PACKAGES=(chromium ripgrep libkrb5-dev default-jre-headless acl attr libjackson2-databind-java libgoogle-gson-java neovim python3-jinja2 ruby)

log() { printf '[prereqs] %s\n' "$*" >&2; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v setfacl >/dev/null 2>&1 || missing+=(acl)
command -v getfattr >/dev/null 2>&1 || missing+=(attr)
[ -f /usr/share/java/jackson-databind.jar ] || missing+=(libjackson2-databind-java)
[ -f /usr/share/java/gson.jar ] || missing+=(libgoogle-gson-java)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
/usr/bin/python3 -c 'import jinja2' >/dev/null 2>&1 || missing+=(python3-jinja2)
command -v ruby >/dev/null 2>&1 || missing+=(ruby)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || log "apt-get update failed; trying the install with the cached lists"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "missing Debian packages: ${missing[*]}"
    log "run as root: apt-get install -y ${APT_PACKAGES[*]}"
    exit 3
  fi
fi

if [ -x "$CS_DIR/node_modules/.bin/code-server" ] && [ -f "$CS_DIR/.complete" ]; then
  exit 0
fi

log "installing code-server@$CODE_SERVER_VERSION into ${CS_DIR#$ROOT/} (about 90 s, once)"
rm -rf "$CS_DIR"
mkdir -p "$CS_DIR"
# @vscode/ripgrep's install script would download rg from GitHub; it first looks for this archive in $TMPDIR.
RG_TMP="$(mktemp -d)"
RG_CACHE="$RG_TMP/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE/stage"
cp "$(command -v rg)" "$RG_CACHE/stage/rg"
tar -czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$RG_CACHE/stage" rg
( cd "$CS_DIR" \
  && printf '{"name":"code-server-cache","private":true}\n' > package.json \
  && TMPDIR="$RG_TMP" npm_config_yes=true npm install --no-audit --no-fund --loglevel=error --unsafe-perm \
       "code-server@$CODE_SERVER_VERSION" >"$CS_DIR/install.log" 2>&1 ) || {
  log "code-server install failed; last lines of $CS_DIR/install.log:"
  tail -n 30 "$CS_DIR/install.log" >&2
  rm -rf "$RG_TMP"
  exit 1
}
rm -rf "$RG_TMP"
touch "$CS_DIR/.complete"
log "code-server ready"
