"""The :class:`~kb.facts.Facts` of every Markdown file, kept between runs of the checker, so that a run
reads, parses and renders only the files that changed since the last one; the checks across files
run every time, on the facts of all files.

A file's facts are used again only when the file is the same: its size, modification and change times
and inode are those it had when it was read (times older than two seconds then, so that an edit in the
same clock tick is not missed), or else its bytes have the same BLAKE2 digest. Everything else a file's
facts depend on is in the fingerprint of the cache: the code of ``kb/``, the vocabulary of ``data/``,
the Markdown extensions of ``mkdocs.yml`` (:class:`kb.render.Renderer`), the versions of Python and of
the packages that parse and render. A cache of another fingerprint is left alone and replaced.

On disk: ``kb-check/<docs folder's digest>/facts-NN.json`` in the checkout's cache folder
(:data:`kb.data.CACHE_DIR`, outside the checkout), files by a digest of their path in :data:`SHARDS`
shards, so that an edit writes one shard again. Each shard is a line of JSON naming its format, fingerprint and the digest of the rest, then the
entries as JSON: read with ``json`` only, and a shard that does not match its digest (cut short,
edited) is ignored whole, as is any entry that is not what :func:`kb.facts.encode` writes. Shards are
written to a temporary file and renamed over the old one.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from kb import facts as facts_
from kb.data import CACHE_DIR

FORMAT = 1
SHARDS = 32
RACY_NS = 2_000_000_000  # a file changed this shortly before it was read may change again unseen
# A shard is written again for new stamps alone (files touched but the same, or read too soon after a
# change to trust their stamps) only when this many of its files, or half of them, had them: writing a
# shard costs about 0.1 s, and a file whose stamp is not kept costs each run a read and a digest (20-50
# µs) until its shard is written. Writing every shard for a few stamps in each made the check after one
# that ran just after a checkout (or the benchmark's corpus) 3.6 s slower at 20,000 documents.
RESTAMP_MIN = 50
ROOT = CACHE_DIR / "kb-check"
KEEP = 8  # docs folders whose caches are kept (the tests check many folders)
CODE = Path(facts_.__file__).parent  # the code a file's facts depend on: kb/*.py
_PACKAGES = ("pyyaml", "markdown", "pymdown-extensions", "mkdocs", "mkdocs-material", "nh3", "selectolax")


def fingerprint(*parts: str) -> str:
    """What every file's facts depend on besides the file: ``parts`` (the vocabulary, the renderer's
    fingerprint) with the code of ``kb/`` and the versions of Python and of the parsing packages."""
    digest = hashlib.blake2b(digest_size=16)
    code = sorted(CODE.glob("*.py"))
    for part in [str(FORMAT), sys.version, *(metadata.version(name) for name in _PACKAGES), *parts]:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for path in code:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def digest_of(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass
class _Entry:
    stamp: list[int] | None  # size, mtime, ctime, inode when read (None: check the digest next time)
    digest: str
    display: str
    encoded: list | None  # what kb.facts.encode wrote, until decoded (then it is written from ``facts``)
    facts: facts_.Facts | None = None  # decoded, in this process
    kept: bool = True  # whether the facts can be written (kb.facts.Unkept)


class Store:
    """The kept facts of one docs folder."""

    def __init__(self, folder: Path, fingerprint: str):
        self.folder, self.fingerprint = folder, fingerprint
        self.entries: dict[str, _Entry] = {}
        self.dirty: set[int] = set()  # shards to write
        self.restamped: dict[int, int] = {}  # shard -> its files found the same by their digest this run
        self.started = 0  # time.time_ns() when the run began looking at files
        self.seen: set[str] = set()
        for shard in range(SHARDS):
            self.entries.update(self._load(shard))

    def begin(self) -> None:
        self.started, self.seen, self.restamped = time.time_ns(), set(), {}

    def get(
        self, rel: str, display: str, path: str | Path, stat: os.stat_result
    ) -> tuple[facts_.Facts | None, bytes | None, list[int]]:
        """The kept facts of the file at ``path`` (``stat``: the system's answer about it) if it is the
        file they were read from; else its bytes. Also its stamp, for :meth:`put`."""
        self.seen.add(rel)
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        entry = self.entries.get(rel)
        if entry is not None and entry.display == display and entry.stamp == stamp:
            found = self._facts(rel, entry)
            if found is not None:
                return found, None, stamp
        raw = Path(path).read_bytes()
        if entry is not None and entry.display == display and entry.digest == digest_of(raw):
            found = self._facts(rel, entry)
            if found is not None:
                entry.stamp = self._trusted(stamp)  # written with the shard (see RESTAMP_MIN)
                shard = _shard(rel)
                self.restamped[shard] = self.restamped.get(shard, 0) + 1
                return found, None, stamp
        return None, raw, stamp

    def put(self, rel: str, raw: bytes, stamp: list[int], facts: facts_.Facts) -> None:
        self.entries[rel] = _Entry(self._trusted(stamp), digest_of(raw), facts.display, None, facts)
        self.dirty.add(_shard(rel))

    def save(self) -> None:
        """Forget the files not seen in this run, write the shards that changed."""
        for rel in [rel for rel in self.entries if rel not in self.seen]:
            del self.entries[rel]
            self.dirty.add(_shard(rel))
        if self.restamped:
            sizes = collections.Counter(_shard(rel) for rel in self.entries)
            self.dirty.update(
                shard for shard, count in self.restamped.items() if count >= min(RESTAMP_MIN, (sizes[shard] + 1) // 2)
            )
            self.restamped = {}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard in sorted(self.dirty):
                self._write(shard)
            self.dirty.clear()
            os.utime(self.folder)  # most recently used (see _prune)
        except OSError:
            return  # a read-only checkout: the next run reads every file again
        _prune(self.folder.parent)

    def _facts(self, rel: str, entry: _Entry) -> facts_.Facts | None:
        if entry.facts is None and entry.encoded is not None:
            with contextlib.suppress(TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError):
                entry.facts = facts_.decode(entry.encoded)
            entry.encoded = None  # half the objects, for Python's cycle collector to walk
        if entry.facts is None or entry.facts.path != rel or entry.facts.display != entry.display:
            return None
        return entry.facts

    @staticmethod
    def _encoded(entry: _Entry) -> list | None:
        if entry.encoded is not None or entry.facts is None or not entry.kept:
            return entry.encoded
        try:
            return facts_.encode(entry.facts)
        except facts_.Unkept:
            entry.kept = False
            return None

    def _trusted(self, stamp: list[int]) -> list[int] | None:
        return stamp if max(stamp[1], stamp[2]) < self.started - RACY_NS else None

    def _path(self, shard: int) -> Path:
        return self.folder / f"facts-{shard:02d}.json"

    def _load(self, shard: int) -> dict[str, _Entry]:
        try:
            data = self._path(shard).read_bytes()
            head, _, body = data.partition(b"\n")
            header = json.loads(head)
            if header != {"format": FORMAT, "fingerprint": self.fingerprint, "digest": digest_of(body)}:
                return {}
            stored = json.loads(body)
            return {
                rel: _Entry(stamp, digest, display, encoded)
                for rel, (stamp, digest, display, encoded) in stored.items()
                if _shard(rel) == shard
                and type(digest) is str
                and type(display) is str
                and (stamp is None or (type(stamp) is list and len(stamp) == 4 and all(type(n) is int for n in stamp)))
                and (encoded is None or type(encoded) is list)
            }
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):
            return {}

    def _write(self, shard: int) -> None:
        entries = {
            rel: [e.stamp, e.digest, e.display, self._encoded(e)]
            for rel, e in self.entries.items()
            if _shard(rel) == shard
        }
        try:
            body = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (YAML's "\ud800"): JSON escapes it
            body = json.dumps(entries, separators=(",", ":")).encode("ascii")
        header = json.dumps({"format": FORMAT, "fingerprint": self.fingerprint, "digest": digest_of(body)})
        partial = self._path(shard).with_name(f"{self._path(shard).name}.{os.getpid()}")
        partial.write_bytes(header.encode() + b"\n" + body)
        partial.replace(self._path(shard))


@functools.cache  # each shard written looks at every file's
def _shard(rel: str) -> int:
    return hashlib.blake2b(rel.encode("utf-8", "surrogatepass"), digest_size=2).digest()[0] % SHARDS


_stores: dict[tuple[Path, str], Store] = {}  # in this process: make serve checks after every edit


def store(docs_dir: Path, fingerprint: str, root: Path = ROOT) -> Store:
    """The kept facts of ``docs_dir`` under ``root``, read from disk once per process and fingerprint."""
    folder = root / hashlib.blake2b(str(docs_dir).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    key = (folder, fingerprint)
    if key not in _stores:
        for old in [k for k in _stores if k[0] == folder]:
            del _stores[old]
        _stores[key] = Store(folder, fingerprint)
    return _stores[key]


def _prune(root: Path) -> None:
    """Keep the caches of the :data:`KEEP` docs folders checked last."""
    try:
        folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in folders[KEEP:]:
            for file in old.iterdir():
                file.unlink()
            old.rmdir()
    except OSError:
        pass  # another process pruned it first
