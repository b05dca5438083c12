#!/usr/bin/env bash
# AI-Higress Gateway benchmark: the same load, directly against a mock upstream and through the gateway, in one run.
# See bench/README.md. Everything listens on 127.0.0.1 only; everything started here is stopped on exit.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

# ------------------------------------------------------------------ parameters (env vars)
CONCURRENCY=${CONCURRENCY:-64}              # closed-loop connections for chat/stream
WARMUP=${WARMUP:-PT5S}                      # per chat/stream scenario, not measured
DURATION=${DURATION:-PT20S}                 # per chat/stream scenario, measured
STREAMS=${STREAMS:-1000}                    # open-streams scenario
RAMP=${RAMP:-PT1S}                          # open-streams: spread connection starts over this period
TOKEN_INTERVAL=${TOKEN_INTERVAL:-PT0.01S}   # mock pacing for chat/stream
FIRST_TOKEN_DELAY=${FIRST_TOKEN_DELAY:-PT0S}
MAX_TOKENS=${MAX_TOKENS:-20}                # max_tokens sent by chat/stream requests
OPEN_TOKEN_INTERVAL=${OPEN_TOKEN_INTERVAL:-PT0.05S}  # mock pacing for open-streams (second mock)
OPEN_MAX_TOKENS=${OPEN_MAX_TOKENS:-40}
REQUEST_TIMEOUT=${REQUEST_TIMEOUT:-PT60S}
GATEWAY_HEAP=${GATEWAY_HEAP:-256m}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
MOCK_JAVA_OPTS=${MOCK_JAVA_OPTS:--Xmx512m}
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:--Xms128m -Xmx512m}
LOADGEN_CLIENT=${LOADGEN_CLIENT:-raw}       # raw | jdk
LOADGEN_CPUS=${LOADGEN_CPUS:-}              # e.g. 0   -> taskset -c 0 for the load generator
SERVER_CPUS=${SERVER_CPUS:-}                # e.g. 1   -> taskset -c 1 for gateway and mocks
GATEWAY_JAR=${GATEWAY_JAR:-$ROOT/target/ai-higress-gateway.jar}
API_KEY=${API_KEY:-sk-bench-0123456789}
STRICT=${STRICT:-0}                         # 1: exit 1 when any scenario reports errors
KEEP_LOGS=${KEEP_LOGS:-0}                   # 1: keep the temp dir with config and server logs
SCENARIOS=${SCENARIOS:-chat-direct chat-gateway stream-direct stream-gateway open-streams-gateway}

# ------------------------------------------------------------------ java
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=java
fi
JAVA_MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
if [[ -z "$JAVA_MAJOR" || "$JAVA_MAJOR" -lt 21 ]]; then
  echo "run.sh: need Java 21+ (found '${JAVA_MAJOR:-?}' at $JAVA); set JAVA_HOME" >&2
  exit 1
fi

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cpu_prefix() {  # cpu_prefix CPUS -> prints a taskset prefix or nothing
  if [[ -n "$1" ]] && command -v taskset >/dev/null; then printf 'taskset -c %s' "$1"; fi
}
read -r -a LG_PREFIX <<<"$(cpu_prefix "$LOADGEN_CPUS")"
read -r -a SRV_PREFIX <<<"$(cpu_prefix "$SERVER_CPUS")"

# ------------------------------------------------------------------ build
if [[ ! -f "$GATEWAY_JAR" ]]; then
  log "building $GATEWAY_JAR (./mvnw -B -q -DskipTests package)"
  ./mvnw -B -q -DskipTests package
fi
[[ -f "$GATEWAY_JAR" ]] || { echo "run.sh: $GATEWAY_JAR not found after the build" >&2; exit 1; }

# ------------------------------------------------------------------ work dir, cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/higress-bench.XXXXXX")
RESULTS_DIR="$BENCH_DIR/results"
mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/run-$(date +%Y%m%d-%H%M%S).txt"
PIDS=()
LG_PID=
FAILED=1

cleanup() {
  local rc=$?
  if [[ -n "${LG_PID:-}" ]]; then kill -TERM "$LG_PID" 2>/dev/null || true; wait "$LG_PID" 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ "$FAILED" == 1 ]]; then
    for f in "$WORK"/*.log; do
      [[ -f "$f" ]] || continue
      echo "---- last lines of $(basename "$f") ----" >&2
      tail -n 30 "$f" >&2 || true
    done
  fi
  if [[ "$KEEP_LOGS" == 1 || "$FAILED" == 1 ]]; then
    echo "run.sh: logs and config kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ ports
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
TAKEN=" "
pick_port() {  # pick_port PREFERRED
  local p=$1
  for _ in $(seq 200); do
    if [[ "$TAKEN" != *" $p "* ]] && ! port_in_use "$p"; then TAKEN+="$p "; echo "$p"; return 0; fi
    p=$(( 20000 + RANDOM % 40000 ))
  done
  echo "run.sh: no free port found" >&2
  return 1
}
GATEWAY_PORT=${GATEWAY_PORT:-$(pick_port 18080)}
TAKEN+="$GATEWAY_PORT "
MOCK_PORT=${MOCK_PORT:-$(pick_port 18081)}
TAKEN+="$MOCK_PORT "
MOCK_SLOW_PORT=${MOCK_SLOW_PORT:-$(pick_port 18082)}
for p in "$GATEWAY_PORT" "$MOCK_PORT" "$MOCK_SLOW_PORT"; do
  if port_in_use "$p"; then echo "run.sh: port $p is already in use" >&2; exit 1; fi
done

# ------------------------------------------------------------------ start servers
wait_for() {  # wait_for WHAT PID SECONDS COMMAND...
  local what=$1 pid=$2 secs=$3; shift 3
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: $what exited during start-up" >&2; return 1; }
    (( $(date +%s) < deadline )) || { echo "run.sh: $what not ready after ${secs}s" >&2; return 1; }
    sleep 0.2
  done
}

start_mock() {  # start_mock NAME PORT TOKEN_INTERVAL
  local name=$1 port=$2 interval=$3
  # shellcheck disable=SC2086
  "${SRV_PREFIX[@]}" "$JAVA" $MOCK_JAVA_OPTS -jar "$GATEWAY_JAR" mock-upstream \
    --host 127.0.0.1 --port "$port" --first-token-delay "$FIRST_TOKEN_DELAY" --token-interval "$interval" \
    --extra-latency PT0S --failure-rate 0 --models bench-model >"$WORK/$name.log" 2>&1 &
  PIDS+=("$!")
  wait_for "$name" "$!" 60 grep -q "mock-upstream listening on" "$WORK/$name.log"
  log "$name listening on http://127.0.0.1:$port/v1 (pid $!, token interval $interval)"
}

start_mock mock "$MOCK_PORT" "$TOKEN_INTERVAL"
start_mock mock-slow "$MOCK_SLOW_PORT" "$OPEN_TOKEN_INTERVAL"

CFG="$WORK/gateway-bench.yaml"
cat >"$CFG" <<EOF
server: {host: 127.0.0.1, port: $GATEWAY_PORT}
auth:
  api-keys: [{name: bench, key: "$API_KEY"}]
providers:
  mock: {type: openai, preset: vllm, base-url: "http://127.0.0.1:$MOCK_PORT/v1", models: [bench-model]}
  mockslow: {type: openai, preset: vllm, base-url: "http://127.0.0.1:$MOCK_SLOW_PORT/v1", models: [bench-model]}
models:
  bench: {targets: [{provider: mock, model: bench-model}]}
  bench-slow: {targets: [{provider: mockslow, model: bench-model}]}
EOF

health() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$GATEWAY_PORT/health"
  else
    exec 3<>"/dev/tcp/127.0.0.1/$GATEWAY_PORT" || return 1
    printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
    local status; read -r -t 2 status <&3 || true; exec 3<&-
    [[ "$status" == *" 200"* ]]
  fi
}
# shellcheck disable=SC2086
"${SRV_PREFIX[@]}" "$JAVA" "-Xmx$GATEWAY_HEAP" $GATEWAY_JAVA_OPTS -jar "$GATEWAY_JAR" --config "$CFG" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")
GW_T0=$(date +%s%N)
wait_for gateway "$GW_PID" 90 health
log "gateway ready on http://127.0.0.1:$GATEWAY_PORT (pid $GW_PID, -Xmx$GATEWAY_HEAP, $(( ($(date +%s%N) - GW_T0) / 1000000 )) ms to healthy)"

rss_kb() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status" 2>/dev/null || true; }
RSS_IDLE=$(rss_kb "$GW_PID" VmRSS)

# smoke test: one request each way, so a broken setup fails fast with a readable message
smoke() {  # smoke URL MODEL [KEY]
  local auth=()
  [[ -n "${3:-}" ]] && auth=(-H "Authorization: Bearer $3")
  local code
  code=$(curl -sS -o "$WORK/smoke.out" -w '%{http_code}' --max-time 30 "${auth[@]}" -H 'Content-Type: application/json' \
    -d "{\"model\":\"$2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}" "$1/chat/completions") || code=000
  if [[ "$code" != 200 ]]; then
    echo "run.sh: smoke request to $1 (model $2) answered HTTP $code: $(head -c 400 "$WORK/smoke.out" 2>/dev/null)" >&2
    return 1
  fi
}
DIRECT_URL="http://127.0.0.1:$MOCK_PORT/v1"
DIRECT_SLOW_URL="http://127.0.0.1:$MOCK_SLOW_PORT/v1"
GW_URL="http://127.0.0.1:$GATEWAY_PORT/v1"
if command -v curl >/dev/null; then
  smoke "$DIRECT_URL" bench-model
  smoke "$GW_URL" bench "$API_KEY"
  smoke "$GW_URL" bench-slow "$API_KEY"
fi

# ------------------------------------------------------------------ scenarios
{
  echo "# AI-Higress bench $(date -u +%Y-%m-%dT%H:%M:%SZ) git=$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "# java=$JAVA ($JAVA_MAJOR) cores=$(nproc) concurrency=$CONCURRENCY warmup=$WARMUP duration=$DURATION streams=$STREAMS"
  echo "# token_interval=$TOKEN_INTERVAL max_tokens=$MAX_TOKENS open_token_interval=$OPEN_TOKEN_INTERVAL open_max_tokens=$OPEN_MAX_TOKENS gateway_heap=$GATEWAY_HEAP client=$LOADGEN_CLIENT"
} | tee "$OUT"

declare -A RES=()
ANY_ERRORS=0
loadgen() {  # loadgen LABEL MODE ARGS...
  local label=$1 mode=$2; shift 2
  log "scenario $label"
  local out="$WORK/lg-$label.out"
  # shellcheck disable=SC2086
  "${LG_PREFIX[@]}" "$JAVA" $LOADGEN_JAVA_OPTS "$BENCH_DIR/LoadGen.java" "$mode" --label "$label" \
    --client "$LOADGEN_CLIENT" --timeout "$REQUEST_TIMEOUT" "$@" >"$out" &
  LG_PID=$!   # waited for in the background so that a signal reaches the EXIT trap at once
  local rc=0
  wait "$LG_PID" || rc=$?
  LG_PID=
  if (( rc != 0 )); then log "LoadGen exited with status $rc for $label"; fi
  { echo; cat "$out"; } | tee -a "$OUT"
  RES[$label]=$(grep '^RESULT ' "$out" | tail -n 1 || true)
  local e; e=$(field "${RES[$label]}" errors)
  if [[ -z "${RES[$label]}" || "${e:-1}" != 0 ]]; then ANY_ERRORS=1; fi
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

closed() { echo --concurrency "$CONCURRENCY" --warmup "$WARMUP" --duration "$DURATION" --max-tokens "$MAX_TOKENS"; }
for s in $SCENARIOS; do
  case "$s" in
    chat-direct)    loadgen "$s" chat   --url "$DIRECT_URL" --model bench-model $(closed) ;;
    chat-gateway)   loadgen "$s" chat   --url "$GW_URL" --key "$API_KEY" --model bench $(closed) ;;
    stream-direct)  loadgen "$s" stream --url "$DIRECT_URL" --model bench-model $(closed) ;;
    stream-gateway) loadgen "$s" stream --url "$GW_URL" --key "$API_KEY" --model bench $(closed) ;;
    open-streams-direct)  loadgen "$s" open-streams --url "$DIRECT_SLOW_URL" --model bench-model \
                            --streams "$STREAMS" --ramp "$RAMP" --max-tokens "$OPEN_MAX_TOKENS" ;;
    open-streams-gateway) loadgen "$s" open-streams --url "$GW_URL" --key "$API_KEY" --model bench-slow \
                            --streams "$STREAMS" --ramp "$RAMP" --max-tokens "$OPEN_MAX_TOKENS" ;;
    *) echo "run.sh: unknown scenario $s" >&2; exit 1 ;;
  esac
done

RSS_AFTER=$(rss_kb "$GW_PID" VmRSS)
RSS_PEAK=$(rss_kb "$GW_PID" VmHWM)
kill -0 "$GW_PID" 2>/dev/null || { echo "run.sh: the gateway died during the run" >&2; exit 1; }

# ------------------------------------------------------------------ summary
row() {  # row NAME RESULT_LINE PREFIX   (PREFIX "" for full latency, "ttft_" for time to first token)
  local r=$2 p=$3
  printf '%-26s %10s %10s %10s %10s %8s\n' "$1" "$(field "$r" rps)" "$(field "$r" "${p}p50_ms")" \
    "$(field "$r" "${p}p90_ms")" "$(field "$r" "${p}p99_ms")" "$(field "$r" errors)"
}
added() {  # added NAME DIRECT_RESULT GATEWAY_RESULT PREFIX
  local d=$2 g=$3 p=$4 out=() q
  for q in p50 p90 p99; do
    out+=("$(awk -v a="$(field "$g" "${p}${q}_ms")" -v b="$(field "$d" "${p}${q}_ms")" \
      'BEGIN { if (a == "" || b == "" || a == "NaN" || b == "NaN") print "n/a"; else printf "%+.3f", a - b }')")
  done
  printf '%-26s %10s %10s %10s %10s %8s\n' "$1" "" "${out[0]}" "${out[1]}" "${out[2]}" ""
}
mb() { [[ -n "$1" ]] && awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }' || echo "n/a"; }
{
  echo
  echo "==================== summary (ms; added = gateway - direct) ===================="
  printf '%-26s %10s %10s %10s %10s %8s\n' scenario req/s p50 p90 p99 errors
  has() { [[ -n "${RES[$1]:-}" ]]; }
  if has chat-direct; then row "chat direct" "${RES[chat-direct]}" ""; fi
  if has chat-gateway; then row "chat gateway" "${RES[chat-gateway]}" ""; fi
  if has chat-direct && has chat-gateway; then added "  added latency" "${RES[chat-direct]}" "${RES[chat-gateway]}" ""; fi
  if has stream-direct; then row "stream total direct" "${RES[stream-direct]}" ""; fi
  if has stream-gateway; then row "stream total gateway" "${RES[stream-gateway]}" ""; fi
  if has stream-direct && has stream-gateway; then added "  added latency" "${RES[stream-direct]}" "${RES[stream-gateway]}" ""; fi
  if has stream-direct; then row "stream TTFT direct" "${RES[stream-direct]}" ttft_; fi
  if has stream-gateway; then row "stream TTFT gateway" "${RES[stream-gateway]}" ttft_; fi
  if has stream-direct && has stream-gateway; then added "  added TTFT" "${RES[stream-direct]}" "${RES[stream-gateway]}" ttft_; fi
  for s in open-streams-direct open-streams-gateway; do
    if has "$s"; then
      r=${RES[$s]}
      printf '%-26s streams=%s completed=%s errors=%s max_open=%s total=%ss ttft_p50=%sms ttft_p99=%sms stream_p99=%sms\n' "$s" \
        "$(field "$r" streams)" "$(field "$r" completed)" "$(field "$r" errors)" "$(field "$r" max_open)" \
        "$(field "$r" total_s)" "$(field "$r" ttft_p50_ms)" "$(field "$r" ttft_p99_ms)" "$(field "$r" p99_ms)"
    fi
  done
  echo "gateway RSS: idle after start $(mb "$RSS_IDLE"), after the run $(mb "$RSS_AFTER"), peak (VmHWM) $(mb "$RSS_PEAK"); heap -Xmx$GATEWAY_HEAP"
  for s in $SCENARIOS; do
    if [[ -z "${RES[$s]:-}" ]]; then echo "WARNING: no RESULT from $s"; fi
  done
  if [[ "$ANY_ERRORS" == 1 ]]; then echo "WARNING: some scenarios reported errors (see above)"; fi
} | tee -a "$OUT"
log "results written to $OUT"

FAILED=0
if [[ "$STRICT" == 1 && "$ANY_ERRORS" == 1 ]]; then exit 1; fi
exit 0
