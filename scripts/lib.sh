# Shared by every script in scripts/: where things live, and small helpers.
# Sourced, not run.
#
# Two folders, both overridable:
#   TASKER_QS_CACHE  build caches kept between runs and clones (cargo target dirs, installed
#                    tools). Default: ~/.cache/tasker-quickstarts. Deleting it only costs time.
#   TASKER_QS_STATE  runtime state of this checkout (PostgreSQL data, logs, PID files, venvs,
#                    generated config). Default: .state/ in the repo (git-ignored).

QS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QS_CACHE=${TASKER_QS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tasker-quickstarts}
QS_STATE=${TASKER_QS_STATE:-$QS_ROOT/.state}

# One cargo target dir for the workspace, outside the clone, so a fresh clone (CI) reuses
# the compiled Tasker crates. Tools installed with `cargo install` get their own.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$QS_CACHE/target}
QS_TOOLS_TARGET=$QS_CACHE/target-tools
QS_TOOLS=$QS_CACHE/tools
# Prepend only what is missing: some build scripts track PATH, so a PATH that changes between
# `scripts/stack up`, the tests and a chapter's `cargo run` would recompile Tasker's crates.
path_prepend() { case ":$PATH:" in *":$1:"*) ;; *) PATH="$1:$PATH" ;; esac; }
path_prepend "$HOME/.cargo/bin"
path_prepend "$QS_TOOLS/bin"
export PATH

# The stack's addresses. PostgreSQL uses a non-default port so it never collides with a
# system cluster.
QS_PG_PORT=${TASKER_QS_PG_PORT:-54329}
# Loopback only, unless a container needs to publish it (docker-compose.yml).
QS_PG_LISTEN=${TASKER_QS_PG_LISTEN:-127.0.0.1}
QS_HTTP_ADDR=${TASKER_QS_HTTP_ADDR:-127.0.0.1:8080}
QS_GRPC_ADDR=${TASKER_QS_GRPC_ADDR:-127.0.0.1:9190}
QS_ENV=development

# Pinned versions (the book states them; the drift check changes one to prove tests notice).
QS_TASKER_VERSION=0.1.8
QS_PGMQ_CRATE_VERSION=0.33.7

qs_ts() { date +%H:%M:%S; }
step() { printf '\033[1m[%s] %s\033[0m\n' "$(qs_ts)" "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with milliseconds, for phase timings.
now_ms() { date +%s%3N; }

# The book's pinned mdBook tools, installed once into the cache with `cargo install --locked`.
QS_BOOK_TOOLS=("mdbook@0.5.4" "mdbook-mermaid@0.17.1" "mdbook-linkcheck2@0.13.0")

ensure_book_tools() {
  local spec name version have
  for spec in "${QS_BOOK_TOOLS[@]}"; do
    name=${spec%@*}
    version=${spec#*@}
    have=
    if [ -x "$QS_TOOLS/bin/$name" ]; then
      have=$("$QS_TOOLS/bin/$name" --version | awk '{print $NF}' | tr -d v)
    fi
    if [ "$have" != "$version" ]; then
      step "installing $name $version (cargo install --locked; once per cache)"
      CARGO_TARGET_DIR=$QS_TOOLS_TARGET cargo install -q --locked "$name" --version "$version" --root "$QS_TOOLS" >&2
    fi
  done
}

# mdbook-mermaid writes its JS next to book.toml; it is regenerated, not committed.
install_mermaid_assets() {
  (cd "$QS_ROOT" && mdbook-mermaid install . >/dev/null 2>&1) || die "mdbook-mermaid install failed"
}

# Installed dependencies carry a stamp of the lock files they came from (DIR/.lock-stamp),
# so they are reinstalled exactly when those files change.
lock_stamp() { cat "$@" | sha256sum | cut -c1-16; }
stamp_is() { [ "$(cat "$1/.lock-stamp" 2>/dev/null)" = "$2" ]; }

# A venv per Python listing under the state folder, (re)installed when its lock file changes.
ensure_python_venv() {
  local name=$1 venv=$QS_STATE/venv-$1 lock=$QS_ROOT/listings/$1/requirements.lock stamp
  stamp=$(lock_stamp "$lock")
  if ! stamp_is "$venv" "$stamp"; then
    step "python venv for listings/$name (pip install -r requirements.lock)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$lock"
    echo "$stamp" >"$venv/.lock-stamp"
  fi
}

is_root() { [ "$(id -u)" = 0 ]; }

# Debian packages, installed only when missing (apt-get needs root; otherwise say what to run).
apt_install() {
  if [ $# -eq 0 ]; then info "present"; return; fi
  if ! is_root; then
    die "missing Debian packages: $*
    install them with: sudo apt-get update && sudo apt-get install -y $*"
  fi
  info "installing $* (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Bun, from the npm package `bun` (its binary ships in @oven/bun-linux-x64), into the cache;
# `bun` lands on PATH through $QS_TOOLS/bin.
QS_BUN_VERSION=1.4.4
ensure_bun() {
  local prefix=$QS_TOOLS/npm
  if [ "$("$QS_TOOLS/bin/bun" --version 2>/dev/null)" != "$QS_BUN_VERSION" ]; then
    step "installing bun $QS_BUN_VERSION (npm package bun; once per cache)"
    mkdir -p "$prefix" "$QS_TOOLS/bin"
    npm install --silent --no-save --no-package-lock --prefix "$prefix" "bun@$QS_BUN_VERSION" >&2
    ln -sf "$prefix/node_modules/bun/bin/bun.exe" "$QS_TOOLS/bin/bun"
    "$QS_TOOLS/bin/bun" --version >/dev/null || die "bun $QS_BUN_VERSION did not install"
  fi
}

# A listing's JavaScript dependencies, from its committed bun.lock. node_modules is a link
# into the state folder, like the Python venvs.
ensure_bun_deps() {
  local dir=$QS_ROOT/listings/$1 modules=$QS_STATE/$1/node_modules stamp
  stamp=$(lock_stamp "$dir/bun.lock" "$dir/package.json")
  mkdir -p "$modules"
  [ -L "$dir/node_modules" ] || { rm -rf "$dir/node_modules"; ln -s "$modules" "$dir/node_modules"; }
  if ! stamp_is "$modules" "$stamp"; then
    step "bun install --frozen-lockfile in listings/$1"
    (cd "$dir" && bun install --silent --frozen-lockfile) >&2
    echo "$stamp" >"$modules/.lock-stamp"
  fi
}

# @tasker-systems/tasker is installed wherever the npm registry has it (without touching
# package.json or bun.lock), so the Bun suite's worker tests and the strict type check run
# there. The registry this book's CI reaches answers 404: there they are reported as skipped.
ensure_tasker_npm_package() {
  local dir=$QS_ROOT/listings/bun spec=@tasker-systems/tasker@$QS_TASKER_VERSION
  [ -d "$dir/node_modules/@tasker-systems/tasker" ] && return
  if npm view "$spec" version >/dev/null 2>&1; then
    step "installing $spec (the registry has it: the Bun worker tests will run)"
    (cd "$dir" && bun add --silent --no-save "$spec") >&2
  else
    info "$spec is not on this npm registry: the Bun worker tests are reported as skipped"
  fi
}

# Ruby and RuboCop from Debian, for the Rails listing's checks and its standard-library tests.
ensure_ruby() {
  local missing=()
  command -v ruby >/dev/null || missing+=(ruby)
  command -v rubocop >/dev/null || missing+=(rubocop)
  ruby -e 'require "minitest"' 2>/dev/null || missing+=(ruby-minitest)
  [ ${#missing[@]} -eq 0 ] || { step "Ruby tools for listings/rails"; apt_install "${missing[@]}"; }
}
