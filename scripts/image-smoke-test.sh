#!/usr/bin/env bash
# Smoke test of the jlink runtime image (scripts/jlink-image.sh builds it):
#   1. starts target/image/bin/ai-higress on a free port with a fixed client key and measures the start-up: from the
#      launch to the first 200 from /health, and to the first chat completion served;
#   2. sends one non-streaming and one streaming chat completion and checks the answers;
#   3. stops it with SIGTERM and checks it exits in time;
#   4. starts it again with -XX:StartFlightRecording in JAVA_OPTS, sends both requests again, stops it and reads the
#      gateway's own JFR events (ai.higress.Request, ai.higress.UpstreamAttempt) back with the image's bin/jfr.
# Exits non-zero on any failure; every process it started is stopped on exit.
#
# Environment: IMAGE (default target/image), JAVA_OPTS (passed on to the launcher, e.g. -XX:+UseG1GC to compare),
# STARTUP_TIMEOUT seconds (default 60), KEEP_WORK=1 to keep the temporary directory (logs, recording).
# Needs curl.
set -Eeuo pipefail
trap 'printf "[smoke] FAIL: unexpected error (status %s) at line %s: %s\n" "$?" "$LINENO" "$BASH_COMMAND" >&2' ERR

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
IMAGE=${IMAGE:-$ROOT/target/image}
LAUNCHER=$IMAGE/bin/ai-higress
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}
KEY=sk-smoke-test-0123456789abcdef
BASE_JAVA_OPTS=${JAVA_OPTS:-}

log() { printf '[smoke] %s\n' "$*"; }
fail() {
    printf '[smoke] FAIL: %s\n' "$*" >&2
    exit 1
}

[[ -x "$LAUNCHER" ]] || fail "$LAUNCHER not found: run scripts/jlink-image.sh first"
command -v curl >/dev/null || fail "curl is needed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/higress-smoke.XXXXXX")
declare -A PID=()
FAILED=true

stop_pid() { # pid: SIGTERM, then SIGKILL after 20 s
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local name
    for name in "${!PID[@]}"; do
        stop_pid "${PID[$name]}"
    done
    if [[ "$FAILED" == true ]]; then
        for name in "$WORK"/*.log; do
            [[ -f "$name" ]] || continue
            printf '[smoke] --- last lines of %s\n' "$name" >&2
            tail -n 25 "$name" >&2
        done
    fi
    if [[ "$FAILED" == true || "${KEEP_WORK:-}" == 1 ]]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# cpu_ms PID: CPU time (user + system, all threads) the process has used so far; less sensitive than wall-clock time
# to other load on the machine
cpu_ms() {
    local stat fields
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo "?"; return; }
    read -r -a fields <<<"${stat##*) }" # fields after "pid (comm) ": state is [0], utime [11], stime [12]
    echo $(((fields[11] + fields[12]) * 1000 / $(getconf CLK_TCK)))
}

# start NAME JAVA_OPTS [args...]: launches the gateway on an ephemeral port (SERVER_PORT=0) of 127.0.0.1
start() {
    local name=$1 opts=$2
    shift 2
    log "starting $name${opts:+ with JAVA_OPTS=$opts}"
    : >"$WORK/$name.log" # exists before the background shell opens it, for wait_up to read
    JAVA_OPTS="$opts" SERVER_HOST=127.0.0.1 SERVER_PORT=0 HIGRESS_API_KEY=$KEY \
        "$LAUNCHER" "$@" >"$WORK/$name.log" 2>&1 &
    PID[$name]=$!
}

# wait_up NAME: waits (bounded) until the gateway has printed its port and answers 200 on /health; sets PORT
wait_up() {
    local name=$1 deadline=$(($(date +%s) + STARTUP_TIMEOUT))
    PORT=""
    while :; do
        kill -0 "${PID[$name]}" 2>/dev/null || fail "$name exited during start-up"
        [[ -n "$PORT" ]] || PORT=$(sed -n 's|.*listening on http://[^ ]*:\([0-9][0-9]*\)/v1.*|\1|p' "$WORK/$name.log" || true)
        if [[ -n "$PORT" ]] && curl --noproxy '*' -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/health" 2>/dev/null; then
            return 0
        fi
        (($(date +%s) < deadline)) || fail "$name did not answer /health within ${STARTUP_TIMEOUT}s"
        sleep 0.02
    done
}

# stop NAME: SIGTERM, and the process must be gone within 20 s (shutdown grace is 10 s)
stop() {
    local name=$1 pid=${PID[$1]} i status
    kill -TERM "$pid" 2>/dev/null || true # an early exit shows as the status below
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && fail "$name still running 20 s after SIGTERM"
    status=0
    wait "$pid" || status=$?
    unset "PID[$name]"
    # 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal
    [[ "$status" == 143 || "$status" == 0 ]] || fail "$name exited with status $status after SIGTERM"
    log "$name stopped (exit status $status)"
}

chat_body() { # stream flag
    printf '{"model":"demo","stream":%s,"messages":[{"role":"user","content":"smoke test"}]}' "$1"
}

check_completion() {
    local out=$WORK/completion.json status
    status=$(curl --noproxy '*' -sS --max-time 30 -o "$out" -w '%{http_code}' \
        -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        -d "$(chat_body false)" "http://127.0.0.1:$PORT/v1/chat/completions") || fail "non-streaming request failed"
    [[ "$status" == 200 ]] || fail "non-streaming completion answered $status: $(head -c 500 "$out")"
    grep -q '"object":"chat.completion"' "$out" || fail "not a chat.completion: $(head -c 500 "$out")"
    grep -q '"choices":\[{' "$out" || fail "no choices in: $(head -c 500 "$out")"
    grep -q '"message":{"role":"assistant","content":"' "$out" || fail "no assistant message in: $(head -c 500 "$out")"
}

check_stream() {
    local out=$WORK/stream.txt headers=$WORK/stream.headers status last
    curl --noproxy '*' -sS -N --max-time 30 -D "$headers" -o "$out" \
        -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        -d "$(chat_body true)" "http://127.0.0.1:$PORT/v1/chat/completions" || fail "streaming request failed"
    status=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$headers")
    [[ "$status" == 200 ]] || fail "streaming completion answered $status: $(head -c 500 "$out")"
    grep -qi '^content-type: text/event-stream' "$headers" || fail "stream is not text/event-stream: $(cat "$headers")"
    grep -q '^data: {.*"object":"chat.completion.chunk"' "$out" || fail "no chat.completion.chunk in the stream"
    grep -q '"delta":{[^}]*"content":"[^"]' "$out" || fail "no content delta in the stream"
    last=$(grep -v '^[[:space:]]*$' "$out" | tail -n 1 | tr -d '\r')
    [[ "$last" == 'data: [DONE]' ]] || fail "stream does not end with 'data: [DONE]' (last line: $last)"
}

# wait_logged NAME COUNT: the gateway logs (and records its JFR event for) a request only after the answer has been
# sent; wait for the access-log lines before stopping so that a SIGTERM cannot overtake them
wait_logged() {
    local name=$1 count=$2 i
    for ((i = 0; i < 100; i++)); do
        (($(grep -c 'path=/v1/chat/completions status=200' "$WORK/$name.log" || true) >= count)) && return 0
        sleep 0.1
    done
    fail "$name did not log $count completed chat requests"
}

# --- 1-3: start-up, both kinds of completion, graceful stop ----------------------------------------------------------
# The demo provider without its simulated latency, so that the first completion measures the gateway, not the pacing.
cat >"$WORK/no-pacing.yaml" <<'YAML'
demo:
  first-token-delay: PT0S
  token-interval: PT0S
YAML
t0=$(now_ms)
start plain "$BASE_JAVA_OPTS" --config "$WORK/no-pacing.yaml"
wait_up plain
t_health=$(now_ms)
check_completion
t_first=$(now_ms)
cpu_first=$(cpu_ms "${PID[plain]}")
check_stream
log "start-up: $((t_health - t0)) ms to the first /health 200, $((t_first - t0)) ms to the first chat completion served" \
    "(JVM CPU time by then: $cpu_first ms)"
jvm_line=$(grep -m1 -o '[0-9]* milliseconds since JVM startup' "$WORK/plain.log" || true)
[[ -z "$jvm_line" ]] || log "(Helidon: first listener started $jvm_line)"
log "non-streaming and streaming completions OK on port $PORT"
wait_logged plain 2
stop plain

# --- 4: JFR ---------------------------------------------------------------------------------------------------------
JFR_FILE=$WORK/x.jfr
start jfr "${BASE_JAVA_OPTS:+$BASE_JAVA_OPTS }-XX:StartFlightRecording=filename=$JFR_FILE,duration=30s"
wait_up jfr
grep -q 'Started recording' "$WORK/jfr.log" || fail "JFR did not report a started recording"
check_completion
check_stream
log "completions OK with JFR recording"
wait_logged jfr 2
stop jfr # the recording is written when the JVM exits
[[ -s "$JFR_FILE" ]] || fail "no recording at $JFR_FILE"
"$IMAGE/bin/jfr" print --events ai.higress.Request "$JFR_FILE" >"$WORK/request-events.txt"
"$IMAGE/bin/jfr" print --events ai.higress.UpstreamAttempt "$JFR_FILE" >"$WORK/attempt-events.txt"
# Every request gets an ai.higress.Request event (the /health polls too, with route "other"); the two chat
# completions must be there, each with one upstream attempt to the demo provider.
requests=$(grep -c '^ai.higress.Request {' "$WORK/request-events.txt" || true)
chats=$(grep -c 'route = "chat.completions"' "$WORK/request-events.txt" || true)
attempts=$(grep -c '^ai.higress.UpstreamAttempt {' "$WORK/attempt-events.txt" || true)
((chats == 2)) || fail "expected 2 ai.higress.Request events with route chat.completions, found $chats"
((attempts == 2)) || fail "expected 2 ai.higress.UpstreamAttempt events, found $attempts"
grep -q 'stream = true' "$WORK/request-events.txt" || fail "no streaming request among the JFR events"
(($(grep -c 'outcome = "success"' "$WORK/request-events.txt" || true) >= 2)) || fail "the chat requests' JFR events are not successes"
grep -q 'provider = "demo"' "$WORK/attempt-events.txt" || fail "no attempt to the demo provider among the JFR events"
log "JFR: $(du -k "$JFR_FILE" | cut -f1) KB recording; $requests ai.higress.Request events ($chats chat completions)," \
    "$attempts ai.higress.UpstreamAttempt events"

FAILED=false
log "PASS"
