"""The searcher's in-memory index kept on disk beside the vector store, one file pair per store revision.

A one-shot `jixiao search` (or the first search of a new process) would otherwise read every chunk back
from chromadb and rebuild the BM25 arrays: seconds at 50 000 chunks. The store's revision (a random id
that changes on every write, `CorpusStore.revision`) names the snapshot, so a snapshot can never be
stale: a write makes a new revision and the old pair is deleted when the next one is saved.

Plain formats only (never pickle, the folder may be shared): `<revision>.json` holds the chunk ids,
texts and the metadata a hit shows; `<revision>.npz` the keyword index's arrays. Both are written to
temporary names and renamed, the arrays last, so a reader sees a whole pair or none.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np

FORMAT = 1
_REVISION = re.compile(r"^[0-9a-f]{1,64}$")


def _paths(directory: Path, revision: str) -> tuple[Path, Path]:
    return directory / f"{revision}.json", directory / f"{revision}.npz"


def load(directory: Path, revision: str) -> tuple[list[str], list[str], list[dict], dict[str, np.ndarray]] | None:
    """(ids, texts, metadatas, keyword arrays) of `revision`, or None when no whole snapshot is there."""
    if not _REVISION.match(revision):
        return None
    text_path, array_path = _paths(directory, revision)
    try:
        with array_path.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
            keyword_arrays = {name: arrays[name] for name in arrays.files}
        payload = json.loads(text_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None  # absent, half-written by a crashed process, or from another version: rebuild
    if payload.get("format") != FORMAT or payload.get("revision") != revision:
        return None
    ids, texts, metadatas = payload["ids"], payload["texts"], payload["metadatas"]
    if not len(ids) == len(texts) == len(metadatas):
        return None
    return ids, texts, metadatas, keyword_arrays


def save(directory: Path, revision: str, ids: list[str], texts: list[str], metadatas: list[dict],
         keyword_arrays: dict[str, np.ndarray]) -> None:
    """Write the snapshot of `revision` and remove the others. A folder that cannot be written only
    costs the next process a rebuild, so errors are swallowed."""
    if not _REVISION.match(revision):
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        text_path, array_path = _paths(directory, revision)
        temporary_text = text_path.with_suffix(f".json.{os.getpid()}.tmp")
        payload = {"format": FORMAT, "revision": revision, "ids": ids, "texts": texts, "metadatas": metadatas}
        temporary_text.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary_text, text_path)
        temporary_arrays = array_path.with_suffix(f".npz.{os.getpid()}.tmp")
        with temporary_arrays.open("wb") as handle:
            np.savez(handle, **keyword_arrays)
        os.replace(temporary_arrays, array_path)
        for old in directory.iterdir():
            if old.stem.split(".")[0] != revision:
                old.unlink(missing_ok=True)
    except OSError:
        return


__all__ = ["load", "save"]
