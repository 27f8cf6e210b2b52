# Shared by scripts that need a throwaway PostgreSQL cluster (test-postgres, bench). Source it,
# then `pg_start [extra server options]`: installs Debian's postgresql package when initdb is
# missing, starts a cluster on a free port of 127.0.0.1 (as the postgres user when run as
# root) and sets PG_BIN, PG_PORT, PG_CLUSTER and PG_URL (the postgres database, trust auth).
# `pg_stop` stops it and removes its files; callers run it from their EXIT trap.

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  if ! PG_BIN=$(find_pg_bin); then
    echo "postgres: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    PG_BIN=$(find_pg_bin)
  fi
  PG_PORT=$(free_port)
  PG_CLUSTER=$(mktemp -d /tmp/partner-directory-pg.XXXXXX)
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_CLUSTER"
  fi
  as_postgres "$PG_BIN/initdb" -D "$PG_CLUSTER/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_CLUSTER/data" -l "$PG_CLUSTER/server.log" -w \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_CLUSTER $*" start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "postgres: cluster on 127.0.0.1:$PG_PORT" >&2
}

pg_stop() {
  if [ -n "${PG_CLUSTER:-}" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_CLUSTER/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_CLUSTER"
  fi
}
