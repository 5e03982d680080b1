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

# A venv per Python listing under the state folder, (re)installed when its lock file changes.
ensure_python_venv() {
  local name=$1 venv=$QS_STATE/venv-$1 lock=$QS_ROOT/listings/$1/requirements.lock stamp
  stamp=$(sha256sum "$lock" | cut -c1-16)
  if [ "$(cat "$venv/.lock-stamp" 2>/dev/null)" != "$stamp" ]; then
    step "python venv for listings/$name (pip install -r requirements.lock)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$lock"
    echo "$stamp" >"$venv/.lock-stamp"
  fi
}
