"""The project's data files (``data/*.yml``): vocabularies, sections and reader-facing labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
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
            table = {group: {key: entry.get(lang, "") for key, entry in items.items()}
                     for group, items in self.labels.items()}
            table["topics"] = {key: entry[lang] for key, entry in self.topics.items()}
            table["levels"] = {key: entry[lang] for key, entry in self.levels.items()}
            table["sections"] = {key: spec[lang]["title"] for key, spec in self.sections.items()}
            self._translators[lang] = table
        return self._translators[lang]

    @cached_property
    def _translators(self) -> dict[str, dict]:
        return {}


def _load(name: str, data_dir: Path) -> dict:
    with open(data_dir / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@lru_cache(maxsize=4)
def load_vocabulary(data_dir: Path = DATA_DIR) -> Vocabulary:
    return Vocabulary(
        topics=_load("topics.yml", data_dir),
        levels=_load("levels.yml", data_dir),
        sections=_load("sections.yml", data_dir),
        labels=_load("labels.yml", data_dir),
        issuers=_load("issuers.yml", data_dir),
        glossary=_load("glossary.yml", data_dir),
    )
