# PostgreSQL for the store tests, sourced by .ci/run: a throwaway server from the Debian package.
#
# start_postgres installs the package when no initdb is there (apt-get), creates a cluster in a
# temporary folder owned by the postgres user, starts it on 127.0.0.1:$PG_PORT (default 5433)
# with trust authentication, exports DIPLOGRAPH_TEST_PG for the tests, and stops the server
# and removes the folder when the calling script exits. A DIPLOGRAPH_TEST_PG already set is
# used as it is (a server someone else runs).

PG_PORT="${PG_PORT:-5433}"
PG_DIR=""
PG_BIN=""

# Run a command line as the server's owner: initdb and postgres refuse to run as root.
_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/sh -c "$1"
    else
        sh -c "$1"
    fi
}

start_postgres() {
    if [ -n "${DIPLOGRAPH_TEST_PG:-}" ]; then
        echo "ci: PostgreSQL given by DIPLOGRAPH_TEST_PG" >&2
        return 0
    fi
    if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
        echo "ci: installing PostgreSQL (Debian package postgresql)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    PG_BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/diplograph-pg.XXXXXX")
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$PG_DIR"
    fi
    trap stop_postgres EXIT
    if ! _as_postgres "'$PG_BIN/initdb' -D '$PG_DIR/data' -A trust -U postgres -E UTF8 --no-sync" \
            >"$PG_DIR/initdb.log" 2>&1; then
        echo "ci: initdb failed:" >&2
        cat "$PG_DIR/initdb.log" >&2
        return 1
    fi
    # fsync off: a test server, rebuilt on every run (the kill -9 tests kill the client, not the server).
    if ! _as_postgres "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/server.log' -w -t 60 \
            -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off\" start" >/dev/null; then
        echo "ci: PostgreSQL did not start on 127.0.0.1:$PG_PORT:" >&2
        tail -n 20 "$PG_DIR/server.log" >&2
        return 1
    fi
    export DIPLOGRAPH_TEST_PG="postgresql://postgres@127.0.0.1:${PG_PORT}/postgres"
    echo "ci: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2
}

stop_postgres() {
    if [ -z "$PG_DIR" ]; then
        return 0
    fi
    _as_postgres "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
}
