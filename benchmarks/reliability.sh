#!/usr/bin/env bash
# The reliability harness: real agent and collector processes on loopback, killed with SIGKILL at random
# moments, cut off, frozen and starved of disk; after each trial their journals are compared sample by
# sample. See docs/reliability.md.
#
#   benchmarks/reliability.sh [--quick] [--seed N] [--only agent-kill,collector-kill,both-kill,outage,stall,disk-full]
#                             [--agent-kills N] [--collector-kills N] [--both-kills N] [--kills-per-trial N]
#                             [--kill-window DUR] [--startup-kill-share X] [--outage DUR] [--stall DUR]
#                             [--checks N] [--interval DUR] [--warmup DUR] [--disk-fill-hold DUR]
#                             [--disk-headroom-kib N] [--drain-deadline DUR] [--drain-restart true|false]
#                             [--disk-full-mib N] [--keep]
#
# DUR is 20 (seconds), 20s, 500ms or 10m. --quick is the CI run (under 4 minutes on 2 cores); the default
# is the full run (100 kills of each side, a 10-minute outage; about 40 minutes). --keep keeps the work
# directory (configurations, logs, journals); --disk-full-mib 0 skips the tmpfs. Progress lines go to
# stdout, and the last line of stdout is one JSON object with the figures. Exit status 0 when nothing was
# lost, doubled, dropped uncounted or corrupt and nothing crashed; 1 otherwise; 2 on a usage error.
#
# Everything listens on and connects to 127.0.0.1. Every process started here is killed at the end, also
# on failure or Ctrl-C, the tmpfs is unmounted and the work directory removed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AGENT_JAR="$ROOT/agent/target/vigil-agent.jar"
COLLECTOR_JAR="$ROOT/collector/target/vigil-collector.jar"
BENCH_JAR="$ROOT/benchmarks/target/vigil-benchmarks.jar"

log() { printf '%s reliability.sh: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 2; }

ARGS=()
quick=0
keep=0
disk_mib=48
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; ARGS+=(--quick); shift ;;
    --keep) keep=1; shift ;;
    --disk-full-mib) disk_mib=${2:?--disk-full-mib needs a value}; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --*) [ $# -ge 2 ] || die "$1 needs a value (try --help)"; ARGS+=("$1" "$2"); shift 2 ;;
    *) die "unknown argument $1 (try --help)" ;;
  esac
done
[[ "$disk_mib" =~ ^[0-9]+$ ]] || die "--disk-full-mib takes a whole number of MiB (was '$disk_mib')"

for tool in java mvn timeout kill; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

# The launcher's flags, read from ./vigil so that the agent and the collector run here as they run there.
launcher_array() { # NAME: prints the words of the bash array NAME=( ... ) in ./vigil
  awk -v name="$1" '$0 ~ "^" name "=\\(" {on=1} on {print} on && /\)[[:space:]]*$/ {exit}' "$ROOT/vigil" \
    | sed -e "s/^$1=(//" -e 's/)[[:space:]]*$//' | tr -s ' \n' ' '
}
LAUNCHER_FLAGS=$(launcher_array JVM_FLAGS)
MODULE_FLAGS=$(launcher_array MODULE_FLAGS)
AGENT_FLAGS=$(launcher_array AGENT_JVM_FLAGS)
[ -n "$LAUNCHER_FLAGS" ] || die "could not read JVM_FLAGS from $ROOT/vigil"
[ -n "$MODULE_FLAGS" ] || die "could not read MODULE_FLAGS from $ROOT/vigil"
[ -n "$AGENT_FLAGS" ] || die "could not read AGENT_JVM_FLAGS from $ROOT/vigil"
JAVA=$(command -v java)
java_major=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${java_major%%.*}" -ge 24 ]; then
  # As the launcher does on Java 24 and newer.
  LAUNCHER_FLAGS="$LAUNCHER_FLAGS --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi

stale() {
  local jar
  for jar in "$AGENT_JAR" "$COLLECTOR_JAR" "$BENCH_JAR"; do [ -f "$jar" ] || return 0; done
  local oldest="$AGENT_JAR"
  for jar in "$COLLECTOR_JAR" "$BENCH_JAR"; do [ "$jar" -ot "$oldest" ] && oldest="$jar"; done
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/protocol" "$ROOT/config" "$ROOT/agent" "$ROOT/collector" "$ROOT/benchmarks" \
      \( -name target -prune \) -o \( -type f \( -name '*.java' -o -name '*.xml' \) -newer "$oldest" -print -quit \))" ]
}
if stale; then
  log "building the agent, collector and benchmarks jars"
  (cd "$ROOT" && mvn -B -ntp -q -Dmaven.test.skip=true -pl agent,collector,benchmarks -am package) >&2 || die "build failed"
fi

WORK=$(mktemp -d /tmp/vigil-reliability.XXXXXX)
TMPFS="$WORK/disk-full"
mounted=0
pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  trap '' PIPE
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "stopping the harness and everything it started"
    # The harness kills its children from a shutdown hook; whatever is left in its group goes after 20 s.
    kill -CONT -- "-$pid" 2>/dev/null || true
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  if [ "$mounted" -eq 1 ]; then
    umount "$TMPFS" 2>/dev/null || umount -l "$TMPFS" 2>/dev/null || log "could not unmount $TMPFS"
  fi
  if [ "$keep" -eq 1 ]; then
    log "configurations, logs and journals are kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The disk-full trial's small disk. Mounting needs root (or CAP_SYS_ADMIN); without it the trial fills the
# journal's max_size budget instead, and the report says "mounted": false.
disk_args=()
mkdir -p "$TMPFS"
if [ "$disk_mib" -eq 0 ]; then
  log "--disk-full-mib 0: no tmpfs; the disk-full trial uses the journal's max_size budget instead"
elif mount -t tmpfs -o "size=${disk_mib}m,mode=0700" vigil-reliability "$TMPFS" 2>/dev/null; then
  mounted=1
  disk_args=(--disk-full-dir "$TMPFS")
else
  log "cannot mount a tmpfs (not root?): the disk-full trial uses the journal's max_size budget instead"
fi

# The harness's own logging (Chronicle, when it reads the journals) goes to stderr: stdout is the report.
cat > "$WORK/logback.xml" <<'XML'
<configuration>
  <appender name="stderr" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <logger name="net.openhft" level="WARN"/>
  <root level="INFO"><appender-ref ref="stderr"/></root>
</configuration>
XML

if [ "$quick" -eq 1 ]; then limit=360; else limit=3600; fi
# timeout puts the harness in a process group of its own, which the clean-up kills as one.
# shellcheck disable=SC2086 # the flag lists are words on purpose
timeout -k 20 "$limit" nice -n "${RELIABILITY_NICE:-0}" java $MODULE_FLAGS $LAUNCHER_FLAGS -Xmx1g \
  -Dlogback.configurationFile="$WORK/logback.xml" -cp "$BENCH_JAR" \
  dev.vigil.benchmarks.reliability.ReliabilityMain "${ARGS[@]}" "${disk_args[@]}" \
  --work-dir "$WORK" --java "$JAVA" --agent-jar "$AGENT_JAR" --collector-jar "$COLLECTOR_JAR" \
  --launcher-flags "$LAUNCHER_FLAGS" --agent-flags "$AGENT_FLAGS" --agent-env "MALLOC_ARENA_MAX=2" &
pid=$!
status=0
wait "$pid" || status=$?
pid=""
[ "$status" -eq 124 ] && { log "the harness took longer than $limit s and was stopped"; exit 1; }
exit "$status"
