#!/usr/bin/env bash
# The date-sensitive tests, run again with the clock moved: near local midnight, at a month's and a year's
# end, just after midnight (when the UTC date and the Shanghai date differ), in UTC and in Asia/Shanghai,
# under several machine zones.
#
# "Now" is moved for every process that reads it, the same way for all of them: jest and the app it
# starts, a PostgreSQL server and a Redis server of this run's own (free ports, data in a temporary folder),
# all started under libfaketime with one offset from the real clock. The clock then runs on at its normal
# rate from the instant chosen, so a run that starts two minutes before midnight crosses it. Redis keeps
# the real clock (libfaketime clashes with its allocator and it does not start); what the app keeps there
# expires by relative TTLs, and BullMQ compares timestamps its clients send, so its clock plays no part.
#
#   bash test/clock/clock-matrix.sh              # every instant below
#   CLOCK_INSTANTS="1 6" bash test/clock/clock-matrix.sh   # the first and the sixth only
#   CLOCK_FILES="usage-log booking" bash test/clock/clock-matrix.sh
#   CLOCK_RUN_TIMEOUT=1800: seconds one instant's jest may take before it counts as failed (a hang never
#   holds CI up)
#
# Needs Debian's `faketime` package (libfaketime) and PostgreSQL's server binaries (initdb, pg_ctl).
set -euo pipefail
cd "$(dirname "$0")/../.."

# machine zone | the instant "now" starts at | why
INSTANTS=(
  "UTC|2026-12-31T23:58:00+08:00|year end in Shanghai; the UTC date is still 31 December all run"
  "Asia/Shanghai|2026-12-31T23:58:00Z|year end in UTC; in Shanghai it is already the morning of 1 January"
  "America/Los_Angeles|2027-02-28T23:58:00+08:00|end of a short month in Shanghai; the machine is a day behind"
  "Pacific/Kiritimati|2027-03-01T00:20:00+08:00|just after midnight in Shanghai (16:20 UTC the day before); machine at +14"
  "UTC|2026-12-03T21:00:00Z|the instant the evening failure was reported (05:00 in Shanghai)"
)

# The e2e files that build dates from "now" (days, due dates, rollups, indicators, no-shows, reminders,
# bookings; the browser tests among them get a page clock that agrees, see test/utils/browser.ts), and
# every unit test (calendar arithmetic). test/clock/date-sensitive.e2e-spec.ts fails when a
# test file starts reading the clock without being listed here.
# The moved PostgreSQL ends sessions with its own timeouts wrongly when "now" is behind the real clock
# (seen at the last instant: "terminating connection due to idle-in-transaction timeout" mid-test), so the
# server-side timeouts are off here; test/faults-* prove them on a server with the real clock.
export DB_STATEMENT_TIMEOUT_MS=0 DB_IDLE_IN_TRANSACTION_TIMEOUT_MS=0
DEFAULT_FILES="usage-log indicators booking activities circulation circulation-rules circulation-offline desk-lists jobs services single-instance demo live rate-limit redis-outage venues-free-today web web-services web-landing web-tour fines pull-list web-desk-pull mobile-library web-mobile-library web-inert-html"
FILES=${CLOCK_FILES:-$DEFAULT_FILES}

FAKETIME_LIB=${FAKETIME_LIB:-$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1 || true)}
if [ -z "$FAKETIME_LIB" ]; then
  echo "clock-matrix: libfaketime is missing (Debian: apt-get install faketime)" >&2
  exit 1
fi
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "clock-matrix: PostgreSQL's server binaries are missing (set PG_BIN to the folder with initdb and pg_ctl)" >&2
  exit 1
fi

WORK=$(mktemp -d /tmp/clock-matrix.XXXXXX)
PGDATA="$WORK/pg"
# initdb and the server refuse to run as root; then they run as the postgres user, who owns the folder.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
REDIS_PID=""

stop_servers() {
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  if [ -n "$REDIS_PID" ]; then kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=""; fi
}
cleanup() { stop_servers; rm -rf "$WORK"; }
trap cleanup EXIT

as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; exit 1; }

# A command under the moved clock and the machine zone of the instant at hand, against this run's servers.
moved() {
  TZ="$zone" LD_PRELOAD="$FAKETIME_LIB" \
    TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres" TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" "$@"
}

chosen=${CLOCK_INSTANTS:-$(seq 1 ${#INSTANTS[@]})}
count=0
failed=()
for n in $chosen; do
  [ -n "${INSTANTS[$((n - 1))]:-}" ] || { echo "clock-matrix: there is no instant $n (1..${#INSTANTS[@]})" >&2; exit 2; }
  IFS='|' read -r zone instant why <<<"${INSTANTS[$((n - 1))]}"
  count=$((count + 1))
  # One offset from the real clock for every process (printf: "+N" or "-N" seconds).
  FAKETIME=$(printf '%+d' $(( $(date -d "$instant" +%s) - $(date +%s) )))
  export FAKETIME FAKETIME_DONT_FAKE_MONOTONIC=1
  echo "clock-matrix: TZ=$zone, now=$instant ($why)"

  # PostgreSQL reads the moved clock too: its now() and the app's agree, as on a real server.
  as_pg env FAKETIME="$FAKETIME" FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD="$FAKETIME_LIB" \
    "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$WORK/pg.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

  pg_now=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc "SELECT now() AT TIME ZONE 'UTC'")
  echo "clock-matrix: PostgreSQL reads $pg_now UTC"
  moved node -e 'console.log(`clock-matrix: the test processes read ${new Date().toString()}`)'
  patterns=$(for f in $FILES; do printf 'test/%s\\.e2e-spec\\.ts$ ' "$f"; done)
  # shellcheck disable=SC2086
  if ! moved timeout --kill-after=30 "${CLOCK_RUN_TIMEOUT:-1800}" \
    node node_modules/jest/bin/jest.js 'libs/.*\.spec\.ts$' 'apps/.*\.spec\.ts$' $patterns --ci --selectProjects unit e2e; then
    failed+=("TZ=$zone now=$instant")
  fi
  stop_servers
  unset FAKETIME
done

if [ ${#failed[@]} -gt 0 ]; then
  printf 'clock-matrix: failed at %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "clock-matrix: the date-sensitive tests passed at $count instants"
