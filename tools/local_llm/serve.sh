#!/bin/sh
# Start llama.cpp's OpenAI-compatible server for the local model (make local-llm-serve).
# Loopback only. The model file's SHA-256 is checked before every start.
# Optional environment: JIXIAO_LOCAL_LLM_PORT (8081), JIXIAO_LOCAL_LLM_THREADS (2),
# JIXIAO_LOCAL_LLM_CTX (8192).
set -eu

cd "$(dirname "$0")/../.."

VENV=.venv-llm
MODEL=.jixiao/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
ALIAS=qwen2.5-coder-1.5b-instruct
HOST=127.0.0.1
PORT=${JIXIAO_LOCAL_LLM_PORT:-8081}
THREADS=${JIXIAO_LOCAL_LLM_THREADS:-2}
CTX=${JIXIAO_LOCAL_LLM_CTX:-8192}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import llama_cpp.server" >/dev/null 2>&1; then
    echo "错误：本地模型服务尚未安装，请先运行 make local-llm。" >&2
    exit 1
fi

"$VENV/bin/python" tools/local_llm/assemble_model.py --verify

echo "本地模型服务启动于 http://$HOST:$PORT/v1（仅本机可访问，按 Ctrl+C 停止）。"
echo "在另一个终端设置以下环境变量后使用 jixiao（本地服务无需密钥，JIXIAO_LLM_API_KEY 留空即可）："
echo "  JIXIAO_LLM_BASE_URL=http://$HOST:$PORT/v1"
echo "  JIXIAO_LLM_MODEL=$ALIAS"
echo "  JIXIAO_LLM_API_KEY=（不需要）"

# llama.cpp's OpenMP threads spin while waiting for each other; when other programs keep the cores
# busy, two spinning threads collapsed generation from ~13 to ~1-2 tokens/s on a 2-core machine.
# Passive waiting kept it at ~13 tokens/s.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"

# The GGUF carries Qwen2.5's own chat template (ChatML); llama-cpp-python uses it when no
# --chat_format is given. The server keeps every prompt token's logits by default (151,936 floats,
# ~600 KB a token: ~5 GB at 8192 tokens); jixiao never asks for logprobs, so that is switched off.
# The server handles one request at a time. By default a waiting request makes it end the running
# stream early with a normal-looking "[DONE]", which would hand jixiao a silently truncated draft;
# --interrupt_requests false makes the waiting request queue instead.
exec "$VENV/bin/python" -m llama_cpp.server \
    --model "$MODEL" \
    --model_alias "$ALIAS" \
    --host "$HOST" \
    --port "$PORT" \
    --n_ctx "$CTX" \
    --n_threads "$THREADS" \
    --n_threads_batch "$THREADS" \
    --logits_all false \
    --interrupt_requests false
