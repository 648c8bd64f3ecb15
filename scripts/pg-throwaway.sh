#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: initdb in a temporary directory as an unprivileged
# user, listening on localhost only, with durability off (nothing here needs to survive a crash;
# PG_DURABLE=1 keeps PostgreSQL's durable defaults, as the benchmark wants).
#   scripts/pg-throwaway.sh start [PORT]   prints "URL DIR": the admin URL
#                                          (postgres://vigil@127.0.0.1:PORT/postgres) and the cluster's directory
#   scripts/pg-throwaway.sh stop DIR       stops the cluster and removes DIR
# Run as root (CI), it runs the server as the 'postgres' user (created by Debian's package), or
# 'nobody' when that is absent.
set -euo pipefail
# Debian's server binaries (postgresql package): the newest installed major version.
BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
[ -x "$BIN/initdb" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2; exit 1; }
cmd="${1:-start}"

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		local user=postgres
		id "$user" >/dev/null 2>&1 || user=nobody
		runuser -u "$user" -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	port="${2:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
	dir="$(mktemp -d /tmp/vigil-pg.XXXXXX)"
	if [ "$(id -u)" -eq 0 ]; then
		user=postgres
		id "$user" >/dev/null 2>&1 || user=nobody
		chown "$user" "$dir"
	fi
	as_owner "$BIN/initdb" -D "$dir/data" -U vigil --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
	durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_DURABLE:-0}" = "1" ] && durability=""
	as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
		"-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=200" \
		start >/dev/null
	echo "postgres://vigil@127.0.0.1:$port/postgres $dir"
	;;
stop)
	dir="${2:?the directory printed at start}"
	as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start [PORT] | stop DIR" >&2
	exit 2
	;;
esac
