# Shared by every script in scripts/: where things live, and small helpers.
# Sourced, not run.
#
# Two folders, both overridable:
#   TASKER_QS_CACHE  build caches kept between runs and checkouts (Cargo's shared build dir,
#                    installed tools). Default: ~/.cache/tasker-quickstarts. Deleting it only
#                    costs time.
#   TASKER_QS_STATE  runtime state of this checkout (PostgreSQL data, logs, PID files, venvs,
#                    generated config, the verification report). Default: .state/ in the repo
#                    (git-ignored).

QS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QS_CACHE=${TASKER_QS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tasker-quickstarts}
QS_STATE=${TASKER_QS_STATE:-$QS_ROOT/.state}

# Cargo keeps its intermediate artifacts (the compiled dependencies: Tasker takes minutes) in
# one build dir shared by every checkout, and each checkout's own binaries and test
# executables in its own target dir. Nothing the workspace builds bakes its checkout's path
# in (paths are found at run time), so a binary another checkout compiled from the same
# sources works here; ensure_build_sources handles different sources.
export CARGO_BUILD_BUILD_DIR=${CARGO_BUILD_BUILD_DIR:-$QS_CACHE/target}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$QS_ROOT/target}
# The tools built from crates.io (install_registry_binary) put their binaries in a target dir
# of their own, and their intermediate files in the shared build dir, beside Tasker's.
QS_TOOLS_TARGET=$QS_CACHE/target-tools
QS_TOOLS=$QS_CACHE/tools
# Prepend only what is missing: some build scripts track PATH, so a PATH that changes between
# `scripts/stack up`, the tests and a chapter's `cargo run` would recompile Tasker's crates.
path_prepend() { case ":$PATH:" in *":$1:"*) ;; *) PATH="$1:$PATH" ;; esac; }
path_prepend "$HOME/.cargo/bin"
path_prepend "$QS_TOOLS/bin"
export PATH

# The Python tools' caches go to the state folder, not into listings/: build.rs reruns when
# anything under listings/ changes, and the caches pytest, Hypothesis and ruff wrote there on
# every run recompiled the root crate and relinked every test binary, twice per run.
# (Bytecode stays where Python puts it: a PYTHONPYCACHEPREFIX would also hide the venv's
# precompiled site-packages, and __pycache__ changes only when its sources do.)
QS_TOOL_CACHES=$QS_STATE/tool-caches
case " ${PYTEST_ADDOPTS:-} " in
  *" -o cache_dir="*) ;;
  *) export PYTEST_ADDOPTS="${PYTEST_ADDOPTS:+$PYTEST_ADDOPTS }-o cache_dir=$QS_TOOL_CACHES/pytest" ;;
esac
export HYPOTHESIS_STORAGE_DIRECTORY=$QS_TOOL_CACHES/hypothesis
export RUFF_CACHE_DIR=$QS_TOOL_CACHES/ruff

# One run at a time builds and tests with a cache folder. Checkouts share Cargo's build dir,
# where Cargo tells the workspace's own crates of two checkouts apart only by file times: two
# builds interleaved can each link the other's crates. So every script that builds takes
# this lock first and waits while another checkout holds it; a script run inside one that
# holds it (the drift check inside scripts/test) finds QS_CACHE_LOCK_OWNER set and goes on.
# The lock is a folder naming its owner's PID and start time, so an owner that was killed
# does not hold it for ever.
QS_LOCK_DIR=$QS_CACHE/.lock
process_start() { awk '{ print $22 }' "/proc/$1/stat" 2>/dev/null; }
lock_is_stale() { # OWNER-LINE ("PID START CHECKOUT"; empty while its owner is writing it)
  if [ -z "$1" ]; then # a folder left empty for 10 s: its owner died before writing itself in
    [ $(($(date +%s) - $(stat -c %Y "$QS_LOCK_DIR" 2>/dev/null || date +%s))) -gt 10 ]
  else
    [ "$(process_start "${1%% *}")" != "$(echo "$1" | cut -d' ' -f2)" ]
  fi
}
take_cache_lock() {
  [ "${QS_CACHE_LOCK_OWNER:-}" != "$QS_CACHE" ] || return 0
  mkdir -p "$QS_CACHE"
  local owner said=
  until mkdir "$QS_LOCK_DIR" 2>/dev/null; do
    owner=$(cat "$QS_LOCK_DIR/owner" 2>/dev/null)
    if lock_is_stale "$owner"; then
      info "the cache folder's lock was held by a run that ended without releasing it: taken over"
      rm -rf "$QS_LOCK_DIR"
      continue
    fi
    [ -n "$said" ] || step "waiting: another run builds and tests with $QS_CACHE (${owner#* * }, pid ${owner%% *})"
    said=1
    sleep 1
  done
  echo "$$ $(process_start $$) $QS_ROOT" >"$QS_LOCK_DIR/owner"
  export QS_CACHE_LOCK_OWNER=$QS_CACHE
}
# hold_cache_lock: takes the lock and releases it when the script exits, for scripts that
# set no EXIT trap of their own (scripts/test and bench-quickstarts release it in theirs).
hold_cache_lock() {
  take_cache_lock
  trap release_cache_lock EXIT
}
# Releases the lock if this process took it (not if an outer script holds it).
release_cache_lock() {
  if [ "$(cut -d' ' -f1 "$QS_LOCK_DIR/owner" 2>/dev/null)" = "$$" ]; then
    rm -rf "$QS_LOCK_DIR"
    unset QS_CACHE_LOCK_OWNER
  fi
  return 0
}

# The stack's addresses. PostgreSQL uses a non-default port so it never collides with a
# system cluster.
QS_PG_PORT=${TASKER_QS_PG_PORT:-54329}
# Loopback only, unless a container needs to publish it (docker-compose.yml).
QS_PG_LISTEN=${TASKER_QS_PG_LISTEN:-127.0.0.1}
QS_HTTP_ADDR=${TASKER_QS_HTTP_ADDR:-127.0.0.1:8080}
QS_GRPC_ADDR=${TASKER_QS_GRPC_ADDR:-127.0.0.1:9190}
# Prometheus, scraping the server (scripts/stack starts it with the server).
QS_PROMETHEUS_ADDR=${TASKER_QS_PROMETHEUS_ADDR:-127.0.0.1:9095}
QS_ENV=development

# Versions come from Cargo.toml, the one place they live ([workspace.metadata.tasker] for
# Tasker's packages, the mdbook-driver pin for mdBook), read with a TOML parser (Python's
# tomllib), in one go.
eval "$(python3 - "$QS_ROOT/Cargo.toml" <<'PY'
import shlex, sys, tomllib
cargo = tomllib.load(open(sys.argv[1], "rb"))
tasker = cargo["workspace"]["metadata"]["tasker"]
deps = cargo["workspace"]["dependencies"]
for name, value in [
    ("QS_TASKER_VERSION", tasker["rust"]),
    ("QS_TASKER_PY_VERSION", tasker["python"]),
    ("QS_TASKER_NPM_VERSION", tasker["typescript"]),
    ("QS_TASKER_GEM_VERSION", tasker["ruby"]),
    ("QS_MDBOOK_VERSION", deps["mdbook-driver"].lstrip("=")),
]:
    print(f"{name}={shlex.quote(value)}")
PY
)"
QS_PGMQ_CRATE_VERSION=0.33.7

# first_run_env CACHE [CARGO-HOME]: sets FIRST_RUN_ENV, an `env` command for a first-time
# contributor's run with CACHE as its cache folder (and CARGO-HOME, if given, as its Cargo
# home): none of this shell's stack, cache or lock settings, and none of this checkout's
# installed tools on PATH, where lib.sh put them (a tasker-ctl found there skips its install).
first_run_env() {
  local clean_path
  clean_path=$(tr ':' '\n' <<<"$PATH" | grep -vxF "$QS_TOOLS/bin" | paste -sd:)
  FIRST_RUN_ENV=(env -u ORCHESTRATION_URL -u DATABASE_URL -u TASKER_ENV -u TASKER_MESSAGING_BACKEND
    -u TASKER_CONFIG_PATH -u TASKER_ORCHESTRATION_CONFIG_PATH -u TASKER_TEMPLATE_PATH
    -u TASKER_QS_STATE -u CARGO_TARGET_DIR -u CARGO_BUILD_BUILD_DIR -u QS_AXE_JS
    -u QS_CACHE_LOCK_OWNER PATH="$clean_path" TASKER_QS_CACHE="$1")
  [ -z "${2:-}" ] || FIRST_RUN_ENV+=(CARGO_HOME="$2" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}")
}

# kill_tree PID: stops PID and every process under it (a test runner and the app it
# started). A process that already ended is no error: this is clean-up.
kill_tree() {
  local child
  [ -n "${1:-}" ] || return 0
  for child in $(pgrep -P "$1"); do kill_tree "$child"; done
  kill "$1" 2>/dev/null
  return 0
}

qs_ts() { date +%H:%M:%S; }
step() { printf '\033[1m[%s] %s\033[0m\n' "$(qs_ts)" "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with milliseconds, for phase timings.
now_ms() { date +%s%3N; }

# CPU milliseconds the whole machine has been busy since boot (every core, every process:
# the stack's daemons and the browsers too), from the first line of /proc/stat: user, nice,
# system, irq, softirq and steal; idle and iowait left out. A phase whose busy CPU is near
# cores × wall time is CPU-bound, and running it beside another cannot make it faster; one
# far below is waiting on something.
QS_CLOCK_TICKS=$(getconf CLK_TCK)
machine_busy_ms() {
  awk -v hz="$QS_CLOCK_TICKS" '$1 == "cpu" {
    printf "%d", ($2 + $3 + $4 + $7 + $8 + $9) * 1000 / hz
    exit
  }' /proc/stat
}

# The tree this checkout's tests see: tracked and untracked-but-not-ignored files as they are
# on disk, hashed by git into one tree id (through a scratch index; the real one is left
# alone). Equal ids mean equal sources, committed or not: the drift check's copy is made of
# exactly these files. Fails, quietly, outside a git checkout (there is nothing to compare).
# The objects git writes on the way go to a scratch object folder too, reading the
# checkout's own as an alternate: hashing leaves nothing behind in the repository.
tree_fingerprint() {
  local scratch objects rc=0
  objects=$(git -C "$QS_ROOT" rev-parse --path-format=absolute --git-path objects 2>/dev/null) || return 1
  scratch=$(mktemp -d)
  mkdir "$scratch/objects"
  (cd "$QS_ROOT" && export GIT_INDEX_FILE=$scratch/index GIT_OBJECT_DIRECTORY=$scratch/objects \
    GIT_ALTERNATE_OBJECT_DIRECTORIES=$objects && git add -A . && git write-tree) || rc=$?
  rm -rf "$scratch"
  return $rc
}

# Proof, for a later drift check, that every test passed on one tree: scripts/test writes
# this file (the tree's fingerprint) only when the whole run passed and the tree did not
# change while it ran; every run removes it first.
QS_SUITE_PASSED_FILE=$QS_STATE/report/suite-passed-on-tree

# Phase timings: `phase_begin NAME` … `phase_end`; `phase_report` prints them all.
QS_PHASES=()
phase_begin() {
  QS_PHASE_NAME=$1
  QS_PHASE_T0=$(now_ms)
  QS_PHASE_CPU0=$(machine_busy_ms)
  step "$1"
}
phase_end() {
  local ms=$(($(now_ms) - QS_PHASE_T0)) cpu_ms=$(($(machine_busy_ms) - QS_PHASE_CPU0))
  QS_PHASES+=("$(awk -v ms="$ms" -v cpu="$cpu_ms" -v name="$QS_PHASE_NAME" \
    'BEGIN { printf "%7.1f s %7.1f s  %s", ms / 1000, cpu / 1000, name }')")
}
phase_report() {
  step "time per phase"
  printf '    %9s %9s  %s\n' wall 'CPU busy' "phase (CPU busy: the machine's $(nproc) cores, all processes)" >&2
  printf '    %s\n' "${QS_PHASES[@]}" >&2
}

# The book's mdBook tools, installed once into the cache (install_registry_binary).
# mdbook's version is the workspace's mdbook-driver pin, so the tests load the book with the
# same mdBook that renders it.
QS_BOOK_TOOLS=("mdbook@$QS_MDBOOK_VERSION" "mdbook-mermaid@0.17.1")

# Installs the listed tools (all by default) that are missing or of another version.
ensure_book_tools() {
  local spec name version have wanted=("$@")
  [ ${#wanted[@]} -gt 0 ] || wanted=("${QS_BOOK_TOOLS[@]}")
  for spec in "${wanted[@]}"; do
    name=${spec%@*}
    version=${spec#*@}
    have=
    if [ -x "$QS_TOOLS/bin/$name" ]; then
      have=$("$QS_TOOLS/bin/$name" --version | awk '{print $NF}' | tr -d v)
    fi
    if [ "$have" != "$version" ]; then
      step "installing $name $version (a debug build with the workspace's versions; once per cache)"
      install_registry_binary "$name" "$version"
    fi
  done
}

# install_registry_binary CRATE VERSION: builds the binary CRATE of a crate published on the
# registry into $QS_TOOLS/bin. `cargo install --locked` would resolve it against its own lock
# file, at other versions than the workspace's for many of the dependencies they share, and
# compile all of them again in a target dir of its own. Instead its published source is built
# with the workspace's lock file as the starting resolution (the crate's own lock file for
# what the workspace does not have) and with Cargo's shared build dir: every dependency at the
# same version and features as the workspace's is reused. scripts/align-features gives the
# crates both graphs share the workspace's features (crates/unified-features is the
# workspace's side of that), so what is left to compile is the crate and what only it uses.
# Debug builds with the workspace's dev profile (debug = 0): these tools read files and call
# APIs, and a debug build takes a fraction of a release one's CPU.
install_registry_binary() {
  local name=$1 version=$2 work=$QS_CACHE/registry-builds/$1-$2 registry_src own_lock
  registry_src=$(registry_crate_source "$name" "$version") || return 1
  rm -rf "$work/src"
  cp -r "$registry_src" "$work/src"
  # Its own package, not a member of whatever workspace the cache folder is in, with the
  # workspace's feature resolver (an edition-2018 manifest would get the old one, which also
  # turns on features meant for other platforms).
  printf '\n[workspace]\nresolver = "3"\n' >>"$work/src/Cargo.toml"
  # A published binary crate ships its lock file; without one, the workspace's alone.
  own_lock=$registry_src/Cargo.lock
  [ -f "$own_lock" ] || own_lock=/dev/null
  seed_lock "$QS_ROOT/Cargo.lock" "$own_lock" >"$work/src/Cargo.lock"
  # The same versions are not enough: a dependency is reused only with the same features.
  local align_log=$work/align.log
  "$QS_ROOT/scripts/align-features" "$work/src/Cargo.toml" "$QS_ROOT/Cargo.toml" 2>"$align_log" ||
    { cat "$align_log" >&2; die "lining up the features of $name with the workspace's failed"; }
  sed 's/^/    /' "$align_log" >&2
  CARGO_PROFILE_DEV_DEBUG=0 CARGO_TARGET_DIR=$QS_TOOLS_TARGET \
    cargo build -q --manifest-path "$work/src/Cargo.toml" --bin "$name" >&2 ||
    die "building $name $version from its published source failed (above; sources in $work/src)"
  install -D -m 755 "$QS_TOOLS_TARGET/debug/$name" "$QS_TOOLS/bin/$name"
}

# registry_crate_source NAME VERSION: prints the folder of a crate's published source in
# Cargo's registry cache, downloading it first through whatever registry Cargo is configured
# with. Cargo has no command for that; a throwaway package that depends on it does it (Cargo
# warns that a binary-only dependency is ignored, but fetches it and its dependencies all the
# same). Starting from the workspace's lock file, it downloads no other versions than needed.
registry_crate_source() {
  local name=$1 version=$2 dir=$QS_CACHE/registry-builds/$1-$2/fetch src
  mkdir -p "$dir/src"
  : >"$dir/src/lib.rs"
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "fetch-$name"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$name = "=$version"

[workspace]
TOML
  cp "$QS_ROOT/Cargo.lock" "$dir/Cargo.lock"
  cargo fetch -q --manifest-path "$dir/Cargo.toml" --target "$(rustc -vV | sed -n 's/^host: //p')" \
    >"$dir/fetch.log" 2>&1 ||
    { cat "$dir/fetch.log" >&2; die "could not download $name $version from the crate registry"; }
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$name-$version" 2>/dev/null | head -1) ||
    die "no source of $name $version in Cargo's registry cache, although it was fetched"
  echo "$src"
}

# seed_lock WORKSPACE_LOCK PACKAGE_LOCK: a lock file for building a published package with
# the workspace's versions. Every entry of the workspace's lock, then the package's own
# entries for the crates the workspace does not have. Cargo keeps the entries that fit and
# drops the rest. (Cargo.lock separates its entries with blank lines: awk's paragraph mode.)
seed_lock() {
  awk 'BEGIN { RS = ""; ORS = "\n\n" }
       function name(block) { return match(block, /\nname = "[^"]+"/) ? substr(block, RSTART + 9, RLENGTH - 10) : "" }
       FNR == NR { print; seen[name($0)] = 1; next }
       /^\[\[package\]\]/ && !(name($0) in seen) { print }' "$1" "$2"
}

# mdbook-mermaid writes its JS next to book.toml; it is regenerated, not committed.
install_mermaid_assets() {
  (cd "$QS_ROOT" && mdbook-mermaid install . >/dev/null 2>&1) || die "mdbook-mermaid install failed"
}

# Installed dependencies carry a stamp of the lock files they came from (DIR/.lock-stamp),
# so they are reinstalled exactly when those files change.
lock_stamp() { cat "$@" | sha256sum | cut -c1-16; }
stamp_is() { [ "$(cat "$1/.lock-stamp" 2>/dev/null)" = "$2" ]; }

# The workspace's own sources (what Cargo compiles of this checkout), NUL-separated: from
# git, or (in a copy without .git, like the drift check's) every file under them.
QS_BUILD_INPUTS=(Cargo.toml Cargo.lock build.rs book.toml harness tests crates src listings/stack listings/axum)
build_input_files() {
  if git -C "$QS_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$QS_ROOT" ls-files -co --exclude-standard -z -- "${QS_BUILD_INPUTS[@]}"
  else
    (cd "$QS_ROOT" && find "${QS_BUILD_INPUTS[@]}" -type f -print0)
  fi
}
build_sources_hash() {
  (cd "$QS_ROOT" && build_input_files | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# Cargo decides whether a workspace member is up to date from file times, and every checkout
# shares the build dir. So when the build dir last compiled *other* sources (another
# checkout, the drift check's seeded mistakes), this checkout's files may look older than
# those artifacts and be taken as built. Then touch them, so Cargo compiles what is here.
ensure_build_sources() {
  local stamp=$CARGO_BUILD_BUILD_DIR/.qs-built-sources drift=$CARGO_BUILD_BUILD_DIR/.qs-drift-check hash
  # Inside the drift check's copy Cargo's own file times are right: only seeded files change.
  [ -z "${QS_IN_DRIFT_COPY:-}" ] || return 0
  # A drift check that did not finish may have left seeded mistakes compiled in the build dir.
  if [ -f "$drift" ] && ! kill -0 "$(cat "$drift")" 2>/dev/null; then
    info "a drift check did not finish: its seeded mistakes may still be compiled"
    rm -f "$drift" "$stamp"
    echo unknown >"$stamp"
  fi
  hash=$(build_sources_hash)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
    if [ -f "$stamp" ]; then
      info "the shared build dir last compiled other sources: rebuilding this checkout's own crates"
      (cd "$QS_ROOT" && build_input_files | xargs -0 touch)
    fi
    mkdir -p "$CARGO_BUILD_BUILD_DIR"
    echo "$hash" >"$stamp"
  fi
}

# Clippy over the workspace's own crates, reusing the build's compiled dependencies.
# `cargo clippy` would first check every dependency in Cargo's check mode, which the build
# does not produce: on a first run, 4-5 minutes of Tasker on 2 cores. Instead the members are
# compiled once more with clippy-driver as Cargo's workspace wrapper (it lints, then compiles
# as rustc does), with a codegen-units setting of their own: it changes nothing in the code,
# only Cargo's hash of the members, so these builds sit beside the ordinary ones in the build
# dir and neither rebuilds the other. CLIPPY_ARGS is how cargo-clippy hands clippy-driver its
# arguments.
lint_rust() {
  local members member config=()
  command -v clippy-driver >/dev/null || die "no clippy-driver: rustup component add clippy"
  members=$(cargo metadata -q --no-deps --format-version 1 --manifest-path "$QS_ROOT/Cargo.toml" |
    jq -r '.packages[].name')
  for member in $members; do
    config+=(--config "profile.dev.package.$member.codegen-units=255")
  done
  (cd "$QS_ROOT" && RUSTC_WORKSPACE_WRAPPER=clippy-driver \
    CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" \
    cargo build -q --workspace --all-targets "${config[@]}") || return 1
  info "clippy: no warnings in" $members
}

# A venv per Python listing under the state folder, (re)installed when its lock file changes.
ensure_python_venv() {
  ensure_venv "$QS_STATE/venv-$1" "$QS_ROOT/listings/$1/requirements.lock"
}

# ensure_venv VENV REQUIREMENTS [PIP-ARGS...]: (re)installs VENV when REQUIREMENTS changed.
ensure_venv() {
  local venv=$1 requirements=$2 stamp
  shift 2
  stamp=$(lock_stamp "$requirements")
  if ! stamp_is "$venv" "$stamp"; then
    step "python venv $venv (pip install -r ${requirements#"$QS_ROOT"/})"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$@" -r "$requirements"
    echo "$stamp" >"$venv/.lock-stamp"
  fi
}

# actionlint and zizmor for .github/workflows, pinned in .github/lint-tools.txt (binary
# wheels only: neither may build anything at install time).
ensure_lint_tools() {
  ensure_venv "$QS_STATE/venv-lint" "$QS_ROOT/.github/lint-tools.txt" --only-binary=:all:
}

# lint_workflows: the workflows pass actionlint and zizmor (offline: no GitHub API here).
lint_workflows() {
  local venv=$QS_STATE/venv-lint
  "$venv/bin/actionlint" "$QS_ROOT"/.github/workflows/*.yml &&
    "$venv/bin/zizmor" --offline -q "$QS_ROOT/.github/workflows"
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
ensure_npm() { command -v npm >/dev/null || { step "npm (to install Bun and axe-core)"; apt_install npm; }; }

ensure_bun() {
  local prefix=$QS_TOOLS/npm
  ensure_npm
  if [ "$("$QS_TOOLS/bin/bun" --version 2>/dev/null)" != "$QS_BUN_VERSION" ]; then
    step "installing bun $QS_BUN_VERSION (npm package bun; once per cache)"
    mkdir -p "$prefix" "$QS_TOOLS/bin"
    npm install --silent --no-save --no-package-lock --prefix "$prefix" "bun@$QS_BUN_VERSION" >&2
    ln -sf "$prefix/node_modules/bun/bin/bun.exe" "$QS_TOOLS/bin/bun"
    "$QS_TOOLS/bin/bun" --version >/dev/null || die "bun $QS_BUN_VERSION did not install"
  fi
}

# The browser test's tools: Debian's Chromium and its WebDriver, and axe-core from npm
# (QS_AXE_JS names its axe.min.js for tests/browser.rs).
QS_AXE_VERSION=4.14.1
ensure_browser_tools() {
  local missing=() prefix=$QS_TOOLS/axe-core
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  [ ${#missing[@]} -eq 0 ] || { step "a browser for tests/browser.rs"; apt_install "${missing[@]}"; }
  export QS_AXE_JS=$prefix/node_modules/axe-core/axe.min.js
  if [ "$(jq -r .version "$prefix/node_modules/axe-core/package.json" 2>/dev/null)" != "$QS_AXE_VERSION" ]; then
    step "axe-core $QS_AXE_VERSION (npm; once per cache)"
    ensure_npm
    mkdir -p "$prefix"
    npm install --silent --no-save --no-package-lock --prefix "$prefix" "axe-core@$QS_AXE_VERSION" >&2
    [ -f "$QS_AXE_JS" ] || die "axe-core $QS_AXE_VERSION did not install"
  fi
}

# A listing's JavaScript dependencies, from its committed bun.lock. node_modules is a link
# into the state folder, like the Python venvs, and bun installs there, from a copy of the
# listing's package.json without the packages the suite installs itself
# (QS_SUITE_INSTALLED_NPM): package.json lists them as a reader's `bun add` writes them, and
# the registry here may not have them, so the committed bun.lock cannot name them.
QS_SUITE_INSTALLED_NPM='["@tasker-systems/tasker"]'
ensure_bun_deps() {
  local dir=$QS_ROOT/listings/$1 state=$QS_STATE/$1 stamp
  stamp=$(lock_stamp "$dir/bun.lock" "$dir/package.json")
  mkdir -p "$state/node_modules"
  [ -L "$dir/node_modules" ] || { rm -rf "$dir/node_modules"; ln -s "$state/node_modules" "$dir/node_modules"; }
  if ! stamp_is "$state/node_modules" "$stamp"; then
    step "bun install --frozen-lockfile for listings/$1 (into $state)"
    jq --argjson own "$QS_SUITE_INSTALLED_NPM" '.dependencies |= with_entries(select(.key | IN($own[]) | not))' \
      "$dir/package.json" >"$state/package.json"
    cp "$dir/bun.lock" "$state/bun.lock"
    (cd "$state" && bun install --silent --frozen-lockfile) >&2
    echo "$stamp" >"$state/node_modules/.lock-stamp"
  fi
}

# @tasker-systems/tasker, the Bun app's worker, into the node_modules ensure_bun_deps made,
# without touching the listing's files (its package.json lists the package as readers' `bun
# add @tasker-systems/tasker@<version>` writes it): from the npm registry when it has
# that version, else from the package tarball that TASKER_TS_PACKAGE names (a .tgz, or a
# folder holding tasker-systems-tasker-<version>.tgz). With neither, the Bun chapter's worker
# blocks and the worker suite are reported as not run (vocabulary.toml, requirements.ts-worker).
# Exports QS_TS_WORKER=installed|missing for the Bun suite: installed, its tests may not skip.
ensure_tasker_npm_package() {
  local dir=$QS_ROOT/listings/bun version=$QS_TASKER_NPM_VERSION source=
  local installed=$dir/node_modules/@tasker-systems/tasker/package.json
  export QS_TS_WORKER=missing
  # What a reader's `bun add @tasker-systems/tasker@<version>` installs, as the suite has
  # it: the chapters' stand-in for that command (vocabulary.toml) installs this.
  export QS_TS_PACKAGE_SOURCE=
  if [ "$(jq -r .version "$installed" 2>/dev/null)" = "$version" ]; then
    QS_TS_WORKER=installed
    QS_TS_PACKAGE_SOURCE=${installed%/package.json}
    return
  fi
  if npm view "@tasker-systems/tasker@$version" version >/dev/null 2>&1; then
    source=@tasker-systems/tasker@$version
  elif [ -n "${TASKER_TS_PACKAGE:-}" ]; then
    source=$TASKER_TS_PACKAGE
    [ -d "$source" ] && source=$source/tasker-systems-tasker-$version.tgz
    [ -f "$source" ] || die "TASKER_TS_PACKAGE=$TASKER_TS_PACKAGE: no such package tarball ($source)"
    source=$(cd "$(dirname "$source")" && pwd)/$(basename "$source")
  else
    info "@tasker-systems/tasker@$version: not on this npm registry and TASKER_TS_PACKAGE is unset;"
    info "the Bun chapter's worker blocks and the bun-worker suite are reported as not run"
    return
  fi
  step "installing @tasker-systems/tasker $version from $source (the Bun worker runs)"
  (cd "$QS_STATE/bun" && bun add --silent --no-save "$source") >&2
  local got
  got=$(jq -r .version "$installed" 2>/dev/null) || got=none
  [ "$got" = "$version" ] || die "installing from $source gave @tasker-systems/tasker $got, not $version"
  QS_TS_WORKER=installed
  QS_TS_PACKAGE_SOURCE=$source
}

# Ruby and RuboCop from Debian, for the Rails listing's checks and its standard-library tests;
# Debian's Rails 6.1, RSpec and pg for its request specs, whose test-only Gemfile
# (listings/rails/spec/rails61) is resolved from those packages into the state folder.
QS_RAILS_GEMFILE=$QS_STATE/rails61/Gemfile
ensure_ruby() {
  local missing=()
  command -v ruby >/dev/null || missing+=(ruby)
  command -v rubocop >/dev/null || missing+=(rubocop)
  ruby -e 'require "minitest"' 2>/dev/null || missing+=(ruby-minitest)
  ruby -e 'require "rails"' 2>/dev/null || missing+=(ruby-rails)
  ruby -e 'require "rspec/rails/version"' 2>/dev/null || missing+=(ruby-rspec-rails)
  ruby -e 'require "pg"' 2>/dev/null || missing+=(ruby-pg)
  ruby -e 'require "puma"' 2>/dev/null || missing+=(puma)
  # The gems tasker-rb loads through RubyGems, which the Gemfile has to name (the bundle's
  # own libraries come on RUBYLIB instead); listed whether or not the bundle is here, so
  # that one lock file serves both.
  ruby -e 'require "faraday"' 2>/dev/null || missing+=(ruby-faraday)
  ruby -e 'require "dotenv"' 2>/dev/null || missing+=(ruby-dotenv)
  [ ${#missing[@]} -eq 0 ] || { step "Ruby tools for listings/rails"; apt_install "${missing[@]}"; }
  mkdir -p "${QS_RAILS_GEMFILE%/*}"
  printf 'eval_gemfile %s\n' "'$QS_ROOT/listings/rails/spec/rails61/Gemfile'" >"$QS_RAILS_GEMFILE"
  # bin/rails and bundle exec, in the suites and in the Rails chapter, boot on it.
  export BUNDLE_GEMFILE=$QS_RAILS_GEMFILE
  bundle lock --local >/dev/null ||
    die "Bundler could not resolve listings/rails/spec/rails61/Gemfile from Debian's gems (above)"
}

# tasker-rb, the Rails app's worker. Readers install the published gem on Ruby >= 3.4 with
# Bundler; a machine with Debian's Ruby 3.1 and no RubyGems can run the bundle that
# TASKER_RB_BUNDLE names (tasker-rb-<version>-ruby31.tar.gz, or a folder holding it):
# tasker-rb built from its tag for Ruby 3.1, with a small patch (the bundle's README). It is
# unpacked once per cache and linked at listings/rails/vendor/tasker-rb (git-ignored, as
# node_modules is for Bun); its setup.sh then puts it on RUBYLIB for everything this run
# starts. Its runtime libraries come from Debian. Exports QS_RB_WORKER=installed|missing;
# missing, the Rails chapter's worker blocks and the rails-worker suite are reported as not
# run (vocabulary.toml, requirements.rb-worker).
QS_RB_BUNDLE_LINK=$QS_ROOT/listings/rails/vendor/tasker-rb
QS_RB_RUNTIME_PACKAGES=(ruby-activesupport ruby-faraday ruby-dotenv ruby-concurrent ruby-zeitwerk ruby-ice-nine)
ensure_tasker_rb_bundle() {
  local version=$QS_TASKER_GEM_VERSION tarball sum unpacked
  export QS_RB_WORKER=missing
  if [ -n "${TASKER_RB_BUNDLE:-}" ]; then
    tarball=$TASKER_RB_BUNDLE
    [ -d "$tarball" ] && tarball=$tarball/tasker-rb-$version-ruby31.tar.gz
    [ -f "$tarball" ] || die "TASKER_RB_BUNDLE=$TASKER_RB_BUNDLE: no such bundle ($tarball)"
    sum=$(sha256sum "$tarball" | cut -c1-16)
    unpacked=$QS_CACHE/tasker-rb/$sum/tasker-rb-$version-ruby31
    if [ ! -f "$unpacked/setup.sh" ]; then
      step "unpacking tasker-rb $version for Ruby 3.1 from $tarball (once per cache)"
      rm -rf "${unpacked%/*}"
      mkdir -p "${unpacked%/*}"
      tar -xzf "$tarball" -C "${unpacked%/*}" || die "could not unpack $tarball"
      [ -f "$unpacked/setup.sh" ] || die "$tarball holds no tasker-rb-$version-ruby31/setup.sh"
    fi
    mkdir -p "${QS_RB_BUNDLE_LINK%/*}"
    ln -sfn "$unpacked" "$QS_RB_BUNDLE_LINK"
  fi
  if [ ! -f "$QS_RB_BUNDLE_LINK/setup.sh" ]; then
    info "tasker-rb: Ruby >= 3.4 and RubyGems are not here, and TASKER_RB_BUNDLE names no Ruby 3.1"
    info "build of it; the Rails chapter's worker blocks and the rails-worker suite are reported as not run"
    return
  fi
  local missing=() package
  for package in "${QS_RB_RUNTIME_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] || { step "tasker-rb's runtime libraries (Debian)"; apt_install "${missing[@]}"; }
  # shellcheck disable=SC1091 # the bundle's own; it exports TASKER_RB_HOME and RUBYLIB
  source "$QS_RB_BUNDLE_LINK/setup.sh" || die "the tasker-rb bundle's setup.sh failed"
  local got
  got=$(RUST_LOG=error ruby -e 'require "tasker_core"; print TaskerCore::VERSION' 2>&1) ||
    die "tasker-rb from $TASKER_RB_HOME does not load: $got"
  [ "$got" = "$version" ] || die "the bundle at $TASKER_RB_HOME is tasker-rb $got, not $version"
  info "tasker-rb $got for Ruby $(ruby -e 'print RUBY_VERSION') from $TASKER_RB_HOME (the Rails worker runs)"
  QS_RB_WORKER=installed
}

# Everything the suites need besides the stack: the mdBook tools, the listings' dependencies
# and tools, and the templates of the apps whose workers cannot run here. Shared by
# scripts/test and scripts/drift-check, so either works alone in a fresh clone.
prepare_suites() {
  ensure_book_tools
  install_mermaid_assets
  ensure_python_venv fastapi
  ensure_lint_tools
  ensure_bun
  ensure_bun_deps bun
  ensure_tasker_npm_package
  ensure_ruby
  ensure_tasker_rb_bundle
  ensure_browser_tools
  "$QS_ROOT/scripts/stack" register "$QS_ROOT/listings/bun/templates" "$QS_ROOT/listings/rails/templates" | sed 's/^/    /' >&2
}

# with_app NAME PORT DIR APP... -- COMMAND...: runs COMMAND while an example app serves PORT
# (started in DIR with its templates, waited for on /health, stopped afterwards however
# COMMAND ends). Returns COMMAND's status.
with_app() {
  local name=$1 port=$2 dir=$3 app=() log pid rc=0
  shift 3
  while [ $# -gt 0 ] && [ "$1" != -- ]; do app+=("$1"); shift; done
  shift
  log=$QS_STATE/logs/app-$name.log
  mkdir -p "$QS_STATE/logs"
  (cd "$dir" && PORT=$port RUST_LOG=warn TASKER_TEMPLATE_PATH=$dir/templates exec "${app[@]}" >"$log" 2>&1 </dev/null) &
  pid=$!
  local up=
  for _ in $(seq 600); do
    if curl -sf -m 2 -o /dev/null "http://127.0.0.1:$port/health"; then up=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$up" ]; then
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || echo "the $name app exited with status $?" >&2
    echo "the $name app did not start on port $port; its log ($log):" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  "$@" || rc=$?
  kill -TERM "$pid" 2>/dev/null
  local app_rc=0
  wait "$pid" 2>/dev/null || app_rc=$?
  # 0 or 143 (SIGTERM) is a clean stop; anything else is worth saying, not the suite's status.
  case $app_rc in 0|143) ;; *) echo "the $name app exited with $app_rc on shutdown (log: $log)" >&2 ;; esac
  return $rc
}

# The benchmarks' apps, which run side by side and for longer than one command (with_app
# scopes a single app to one command): start_bench_app NAME PORT DIR COMMAND... starts one as
# with_app does and waits for /health, failing at once if it exits first; stop_bench_apps
# stops every one started. A benchmark sets `trap stop_bench_apps EXIT`, so an error or ^C
# leaves no app behind.
BENCH_APPS=()
start_bench_app() {
  local name=$1 port=$2 dir=$3 pid log
  shift 3
  log=$QS_STATE/logs/bench-$name-$port.log
  mkdir -p "$QS_STATE/logs"
  (cd "$dir" && PORT=$port RUST_LOG=warn TASKER_TEMPLATE_PATH=$dir/templates \
    exec "$@" >"$log" 2>&1 </dev/null) &
  pid=$!
  BENCH_APPS+=("$pid")
  for _ in $(seq 600); do
    curl -sf -m 2 -o /dev/null "http://127.0.0.1:$port/health" && return 0
    kill -0 "$pid" 2>/dev/null || die "the $name app exited before answering on port $port; see $log"
    sleep 0.1
  done
  die "the $name app did not answer on port $port within 60 s; see $log"
}
stop_bench_apps() {
  local pid
  for pid in "${BENCH_APPS[@]}"; do
    # An app that exited on its own is said, not hidden; its log tells why.
    kill -TERM "$pid" 2>/dev/null || echo "an app (pid $pid) had already exited" >&2
  done
  # The apps exit with SIGTERM's status (143), which is expected here, not a failure.
  for pid in "${BENCH_APPS[@]}"; do if wait "$pid"; then :; fi; done
  BENCH_APPS=()
}

# Every process a scripts/test run starts inherits QS_RUN (the stack's daemons excepted: see
# scripts/stack). end_run_leftovers ends those still running when the run ends, whatever
# left them (a test that failed before its cleanup, a killed test runner), and names each,
# so that no test's bug leaves a server behind. TERM first, KILL after 5 s.
begin_run_marker() { export QS_RUN="$$-$(date +%s%N)"; }
# The stack's daemons start without any run's marker (scripts/test's QS_RUN, the drift
# check's QS_DRIFT_RUN, scripts/soak's QS_SOAK_RUN): a chapter that restarts the stack
# leaves it running for the chapters after it, which is no leak.
WITHOUT_RUN_MARKERS=(env -u QS_RUN -u QS_DRIFT_RUN -u QS_SOAK_RUN)

# marked_processes VAR VALUE: "PID COMMAND" of each process whose environment holds
# VAR=VALUE (everything a marked run starts inherits it), this shell excepted; the stack's
# daemons carry no marker (WITHOUT_RUN_MARKERS). Used by scripts/test and scripts/soak.
marked_processes() {
  local p pid
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    case " $$ $BASHPID " in *" $pid "*) continue ;; esac
    if { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qxF "$1=$2"; then
      echo "$pid $({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | cut -c1-160)"
    fi
  done
}

end_run_leftovers() {
  [ -n "${QS_RUN:-}" ] || return 0
  local left pids line
  left=$(marked_processes QS_RUN "$QS_RUN")
  [ -n "$left" ] || return 0
  while IFS= read -r line; do info "ending what the run left running: pid $line"; done <<<"$left"
  pids=$(awk '{ print $1 }' <<<"$left")
  # shellcheck disable=SC2086 # one word per pid
  kill -TERM $pids 2>/dev/null
  for _ in $(seq 50); do
    # shellcheck disable=SC2086
    kill -0 $pids 2>/dev/null || return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null
  return 0
}

# keep_evidence DIR: what a failed run or soak part leaves for finding its cause, copied
# before the next run overwrites it: the stack's and the apps' logs (the server's previous
# log too, when a chapter restarted it), the tests' results so far, and Tasker's tasks that
# are not complete, newest first, with their state.
keep_evidence() { # DIR
  mkdir -p "$1"
  if compgen -G "$QS_STATE/logs/*.log" >/dev/null; then cp -p "$QS_STATE"/logs/*.log "$1/"; fi
  if [ -d "$QS_STATE/report/results" ]; then cp -rp "$QS_STATE/report/results" "$1/"; fi
  if [ -z "${DATABASE_URL:-}" ]; then
    echo "(no stack address: the run ended before the stack was up)" >"$1/unfinished-tasks.txt"
    return 0
  fi
  # A stack that hangs must not hang the run's exit: psql gives up connecting after 5 s.
  PGCONNECT_TIMEOUT=5 psql -X -q "$DATABASE_URL" -c "SELECT t.task_uuid, nt.name, tt.to_state, tt.created_at AS since
    FROM tasker.tasks t
    JOIN tasker.task_transitions tt ON tt.task_uuid = t.task_uuid AND tt.most_recent
    JOIN tasker.named_tasks nt ON nt.named_task_uuid = t.named_task_uuid
    WHERE tt.to_state <> 'complete' ORDER BY tt.created_at DESC LIMIT 100" \
    >"$1/unfinished-tasks.txt" 2>&1 || echo "(the query failed: is the stack down?)" >>"$1/unfinished-tasks.txt"
}

# The listing suites, by the names vocabulary.toml gives them, and the book's own tests:
# one definition each, for scripts/test and scripts/soak. Run from anywhere, with the
# stack's environment (`scripts/stack env`) exported.
run_book_tests() { # [cargo test args...]
  (cd "$QS_ROOT" && cargo test --workspace --no-fail-fast --test book --test diagrams --test listing_checks "$@")
}
run_suite() { # NAME
  case $1 in
    axum) (cd "$QS_ROOT" && cargo test --workspace --no-fail-fast --test live --test patterns --test killed_worker --test scaffold --test hostile) ;;
    stack) (cd "$QS_ROOT" && cargo test --workspace --no-fail-fast --test stack --test versions --test shell_helpers --test compose --test prometheus) ;;
    # pytest exits 5 when it collected nothing: that is a failure here, like any other.
    fastapi) (cd "$QS_ROOT/listings/fastapi" && exec "$QS_STATE/venv-fastapi/bin/python" -m pytest -rfE) ;;
    # The native worker (where it installs) reads the template folder from the environment
    # Bun starts with; RUST_LOG sets its log level on both sides of the FFI.
    bun) (cd "$QS_ROOT/listings/bun" && TASKER_TEMPLATE_PATH=$PWD/templates RUST_LOG=warn exec bun test) ;;
    # The polling helper's tests wait on tasks the Rails app's worker runs; where tasker-rb
    # is not here, on tasks of the Axum app's worker.
    rails-stdlib)
      if [ "${QS_RB_WORKER:-}" = installed ]; then
        (cd "$QS_ROOT/listings/rails" && bin/rails db:prepare >"$QS_STATE/logs/rails-db.log" 2>&1) ||
          { cat "$QS_STATE/logs/rails-db.log" >&2; return 1; }
        with_app rails 3003 "$QS_ROOT/listings/rails" bin/rails server \
          -- env TASK_POLLING_WORKER=rails APP_URL=http://127.0.0.1:3003 ruby "$QS_ROOT/listings/rails/test/all.rb"
      else
        with_app axum 3001 "$QS_ROOT/listings/axum" "$CARGO_TARGET_DIR/debug/axum-quickstart" \
          -- env TASK_POLLING_WORKER=axum APP_URL=http://127.0.0.1:3001 ruby "$QS_ROOT/listings/rails/test/all.rb"
      fi ;;
    # On Debian's Ruby 3.1 and Rails 6.1 (ensure_ruby): the specs that need no worker, and
    # those tagged :worker, which run tasks with tasker-rb's worker in the process.
    rails-specs) "$QS_ROOT/listings/rails/spec/rails61/rspec" --tag '~worker' ;;
    rails-worker) "$QS_ROOT/listings/rails/spec/rails61/rspec" --tag worker ;;
    *) die "no suite '$1' (axum, stack, fastapi, bun, rails-stdlib, rails-specs, rails-worker)" ;;
  esac
}

