#!/usr/bin/env bash
# A throwaway PostgreSQL server for the payment-run tests, on a loopback port in a temp folder.
#
#   bash Tests/postgres/start-postgres.sh start      # prints BILLPAY_POSTGRES_PORT=… and BILLPAY_POSTGRES_DIR=…
#   bash Tests/postgres/start-postgres.sh stop DIR   # stops it and deletes the folder
#
# Uses Debian's PostgreSQL (/usr/lib/postgresql/<version>/bin), installing the `postgresql`
# package with apt-get when it is missing and we are root. PostgreSQL refuses to run as root:
# as root, the server runs as the `postgres` user (or `nobody`). Exit status 3 with a reason on
# stderr: PostgreSQL is not there and cannot be installed (the tests then skip, saying so).
# The server trusts local connections as user `billpay` (database `billpay`) and runs without
# fsync: it holds test data only and dies with the test.
set -euo pipefail

find_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_server_user() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$SERVER_USER" -- "$@"
    else
        "$@"
    fi
}

server_user() {
    if [ "$(id -u)" != 0 ]; then id -un; return; fi
    if id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

case "${1:-}" in
start)
    BIN=$(find_bin)
    if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "start-postgres.sh: installing Debian's postgresql" >&2
            (apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null 2>&1; }) \
                || { echo "start-postgres.sh: PostgreSQL is not installed and apt-get install postgresql failed" >&2; exit 3; }
            BIN=$(find_bin)
        else
            echo "start-postgres.sh: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and cannot be installed here (not root, or no apt-get)" >&2
            exit 3
        fi
    fi
    SERVER_USER=$(server_user)
    DIR=$(mktemp -d /tmp/billpay-postgres.XXXXXX)
    chmod 755 "$DIR"
    [ "$(id -u)" = 0 ] && chown "$SERVER_USER" "$DIR"
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    as_server_user "$BIN/initdb" -D "$DIR/data" -U billpay --auth=trust -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    as_server_user "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null \
        || { cat "$DIR/server.log" >&2; exit 1; }
    as_server_user "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U billpay billpay
    echo "BILLPAY_POSTGRES_PORT=$PORT"
    echo "BILLPAY_POSTGRES_DIR=$DIR"
    ;;
stop)
    DIR=${2:?usage: start-postgres.sh stop DIR}
    case "$DIR" in /tmp/billpay-postgres.*) ;; *) echo "start-postgres.sh: not a folder of ours: $DIR" >&2; exit 2 ;; esac
    BIN=$(find_bin)
    SERVER_USER=$(stat -c %U "$DIR")
    [ -d "$DIR/data" ] && as_server_user "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
*)
    echo "usage: start-postgres.sh start | stop DIR" >&2
    exit 2
    ;;
esac
