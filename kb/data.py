"""The project's data files (``data/*.yml``): vocabularies, sections and reader-facing labels."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


def _cache_dir() -> Path:
    """Where the checker keeps what it read (:mod:`kb.checkcache`, :mod:`kb.render`): the user's cache
    folder (``$XDG_CACHE_HOME``, else ``~/.cache``), one folder per checkout. Never inside the checkout:
    a pull request could commit a ``.cache/`` of its own there, and the check would trust it."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    if not os.path.isabs(home):  # no home folder to expand "~" with
        home = os.path.join(tempfile.gettempdir(), f"kb-cache-{os.getuid()}")
    checkout = hashlib.blake2b(str(PROJECT_ROOT).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return Path(home) / "x-district-kb" / checkout


CACHE_DIR = _cache_dir()
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


@dataclass(frozen=True)
class Vocabulary:
    topics: dict[str, dict[str, str]]  # key -> {zh, en}
    levels: dict[str, dict[str, str]]
    sections: dict[str, dict]  # folder -> {type, zh: {title, summary}, en: {...}}
    labels: dict[str, dict[str, dict[str, str]]]  # group -> key -> {zh, en}
    issuers: dict[str, dict] = field(default_factory=dict)  # 发文机关 -> {codes, en, owner} (data/issuers.yml)
    glossary: dict = field(default_factory=dict)  # data/glossary.yml: {terms: {zh: {en, wrong}}, spelling: {…}}
    facets: dict[str, dict] = field(default_factory=dict)  # key -> {field, values, lists} (data/facets.yml)

    @property
    def types(self) -> dict[str, str]:
        """Document type -> section folder."""
        return {spec["type"]: folder for folder, spec in self.sections.items()}

    def label(self, group: str, key: str, lang: str) -> str:
        entry = self.labels.get(group, {}).get(key) or getattr(self, group, {}).get(key)
        if not entry:
            return key
        return entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or key

    def translator(self, lang: str) -> dict[str, dict[str, str]]:
        """All labels of one language as nested dicts, for templates: ``t.fields.issued``. Made once per
        language (every page's templates ask for it), so shared: read it, do not change it."""
        if lang not in self._translators:
            table = {
                group: {key: entry.get(lang, "") for key, entry in items.items()}
                for group, items in self.labels.items()
            }
            table["topics"] = {key: entry[lang] for key, entry in self.topics.items()}
            table["levels"] = {key: entry[lang] for key, entry in self.levels.items()}
            table["sections"] = {key: spec[lang]["title"] for key, spec in self.sections.items()}
            self._translators[lang] = table
        return self._translators[lang]

    @cached_property
    def _translators(self) -> dict[str, dict]:
        return {}


VOCABULARY_FILES = (
    "topics.yml",
    "levels.yml",
    "sections.yml",
    "labels.yml",
    "issuers.yml",
    "glossary.yml",
    "facets.yml",
)


def data_dir() -> Path:
    """The folder of the vocabulary files: ``KB_DATA_DIR`` (tests point it at a copy), else ``data/``."""
    return Path(os.environ.get("KB_DATA_DIR") or DATA_DIR).resolve()


# libyaml's parser where PyYAML was built with it (the same safe loading, a few times faster: every check
# and build reads data/ whole).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(name: str, folder: Path) -> dict:
    with open(folder / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SafeLoader) or {}


_loaded: dict[Path, tuple[tuple[float, ...], Vocabulary]] = {}  # folder -> (file times, vocabulary)


def load_vocabulary(folder: Path | None = None) -> Vocabulary:
    """The vocabulary of ``folder`` (default :func:`data_dir`), read again whenever one of its files
    changed: ``make serve`` shows an edited label on the next rebuild."""
    folder = Path(folder or data_dir())
    stamp = tuple(os.stat(folder / name).st_mtime_ns for name in VOCABULARY_FILES)
    cached = _loaded.get(folder)
    if cached is None or cached[0] != stamp:
        cached = _loaded[folder] = (
            stamp,
            Vocabulary(**{name[: -len(".yml")]: _load(name, folder) for name in VOCABULARY_FILES}),
        )
    return cached[1]
