# Sourced by .ci/run (bash): makes a PostgreSQL server available to the tests that need one and exports
# NEMOBOT_TEST_DATABASE_URL (a JDBC URL of a database the tests may create databases from).
#
# - NEMOBOT_TEST_DATABASE_URL already set: that server is used, nothing is started.
# - Otherwise a throw-away server is started on 127.0.0.1 from this machine's PostgreSQL binaries (installed with
#   apt-get when there are none), in a temporary directory, as a non-root user (PostgreSQL refuses to run as root),
#   with durability off (fsync, synchronous_commit: test data only), and stopped when the calling shell exits.

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$d" ] && command -v pg_config >/dev/null 2>&1; then d=$(pg_config --bindir); fi
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

pg_install() {
  echo "No PostgreSQL server binaries found; installing Debian's postgresql package for the tests..."
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ERROR: PostgreSQL is needed by the tests and apt-get is not available to install it." >&2
    echo "       Install PostgreSQL 13+ or point NEMOBOT_TEST_DATABASE_URL at a server (see README)." >&2
    return 1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

pg_free_port() {
  local p
  for p in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

pg_start() {
  local bindir port dir runas=""
  bindir=$(pg_bindir) || true
  if [ -z "$bindir" ]; then
    pg_install || return 1
    bindir=$(pg_bindir) || { echo "ERROR: PostgreSQL installed but initdb/pg_ctl not found." >&2; return 1; }
  fi
  port=$(pg_free_port) || { echo "ERROR: no free port for PostgreSQL on 127.0.0.1." >&2; return 1; }
  dir=$(mktemp -d /tmp/nemobot-pg.XXXXXX)
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL will not run as root: use the package's postgres user, or make a system user for it
    if ! id postgres >/dev/null 2>&1; then useradd --system --no-create-home nemobotpg; runas=nemobotpg; else runas=postgres; fi
    chown "$runas" "$dir"
  fi
  as_pg() { if [ -n "$runas" ]; then runuser -u "$runas" -- "$@"; else "$@"; fi; }
  as_pg "$bindir/initdb" -D "$dir/data" -U nemobot --auth=trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
    || { echo "ERROR: initdb failed:" >&2; cat "$dir/initdb.log" >&2; return 1; }
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { echo "ERROR: PostgreSQL did not start:" >&2; cat "$dir/server.log" >&2; return 1; }
  NEMOBOT_PG_DIR=$dir
  NEMOBOT_PG_STOP="$bindir/pg_ctl -D $dir/data -m immediate stop"
  NEMOBOT_PG_RUNAS=$runas
  export NEMOBOT_TEST_DATABASE_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=nemobot"
  echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port (data in $dir)"
}

pg_stop() {
  [ -n "${NEMOBOT_PG_STOP:-}" ] || return 0
  if [ -n "${NEMOBOT_PG_RUNAS:-}" ]; then runuser -u "$NEMOBOT_PG_RUNAS" -- $NEMOBOT_PG_STOP >/dev/null 2>&1 || true
  else $NEMOBOT_PG_STOP >/dev/null 2>&1 || true; fi
  rm -rf "$NEMOBOT_PG_DIR"
}

if [ -z "${NEMOBOT_TEST_DATABASE_URL:-}" ]; then
  pg_start || exit 1
  trap pg_stop EXIT
else
  echo "PostgreSQL for the tests: NEMOBOT_TEST_DATABASE_URL is set, using that server"
fi
