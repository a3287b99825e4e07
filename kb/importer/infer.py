"""What no file says, guessed from the vocabularies in data/ and the documents already in docs/.

The keyword tables are data/import.yml (topics, levels, document types, the words that repeal a document,
the words a file name drops); the topic and level keys are checked against data/topics.yml and
data/levels.yml. :class:`Library` is what docs/ already holds: titles and numbers to match a 解读's
《…》 or a 废止 sentence against, and each issuer's usual 责任单位.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

from kb import source
from kb.consistency import FROM_ISSUE  # the same 施行 wording the checker reads
from kb.data import DATA_DIR, Vocabulary
from kb.importer.blocks import find_doc_number, parse_date

OFFICIAL_FOLDERS = ("policies", "funds", "talent")
PERIOD = re.compile(r"(\d{4})\s*(?:年)?\s*[—\-–－~～至到]+\s*(\d{4})\s*年")
NAMED = re.compile(r"《([^》]{2,100})》")


@lru_cache(maxsize=2)
def load_rules(data_dir: Path = DATA_DIR) -> dict:
    with open(data_dir / "import.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@dataclass
class Known:
    path: str  # policies/x.md
    meta: dict


class Library:
    """The documents in docs/ (originals only), by path; grows as an import run writes more."""

    def __init__(self, docs_dir: Path):
        self.docs_dir = Path(docs_dir)
        self.documents: dict[str, Known] = {}
        for path in sorted(self.docs_dir.glob("*/*.md")):
            if path.name.count(".") == 1:
                self.add(path)

    def add(self, path: Path) -> None:
        rel = path.relative_to(self.docs_dir).as_posix()
        meta = source.parse(path.read_bytes(), rel, rel).meta
        self.documents[rel] = Known(rel, meta if isinstance(meta, dict) else {})

    def official(self) -> list[Known]:
        return [d for d in self.documents.values() if d.path.split("/")[0] in OFFICIAL_FOLDERS]

    def by_number(self, number: str) -> Known | None:
        """The document numbered ``number``; in running text the words before the 机关代字 stick to it
        (“依据X委办发〔2023〕7号”), so a number that ends the one found counts too."""
        numbers = {str(d.meta.get("doc_number", "")): d for d in self.official() if d.meta.get("doc_number")}
        if number in numbers:
            return numbers[number]
        ends = [d for n, d in numbers.items() if number.endswith(n)]
        return max(ends, key=lambda d: len(str(d.meta["doc_number"])), default=None)

    def by_title(self, title: str) -> Known | None:
        wanted = _normal(title)
        documents = self.official()
        for test in (
            lambda t: t == wanted,
            lambda t: _core(t) == _core(wanted),
            lambda t: len(wanted) >= 8 and (wanted in t or t in wanted) and abs(len(t) - len(wanted)) <= 6,
        ):
            found = [d for d in documents if test(_normal(str(d.meta.get("title", ""))))]
            if len(found) == 1:
                return found[0]
        return None

    def titled(self, title: str) -> Known | None:
        wanted = _normal(title)
        return next((d for d in self.documents.values() if _normal(str(d.meta.get("title", ""))) == wanted), None)

    def usual_owner(self, issuers: list[str]) -> str:
        """The most common 责任单位 of documents whose lead issuer is ours; then of any that it co-issued."""
        if not issuers:
            return ""
        for lead_only in (True, False):
            owners: Counter[str] = Counter()
            for doc in self.official():
                names = doc.meta.get("issuer")
                names = [names] if isinstance(names, str) else names if isinstance(names, list) else []
                if names and ((names[0] == issuers[0]) if lead_only else issuers[0] in names) and doc.meta.get("owner"):
                    owners[str(doc.meta["owner"])] += 1
            if owners:
                return owners.most_common(1)[0][0]
        rules = load_rules()
        name = issuers[0]
        for prefix in rules.get("owner_strip_prefixes", []):
            if name.startswith(prefix):
                return rules.get("owner_prefix", "") + name[len(prefix) :]
        return name


def _normal(title: str) -> str:
    return re.sub(r"[\s《》\"“”]", "", title).replace("(", "（").replace(")", "）")


def _core(title: str) -> str:
    for word in ("中共X区委", "X区"):
        title = title.replace(word, "")
    return title


# -- type, period -------------------------------------------------------------------------------


def period(title: str) -> str:
    match = PERIOD.search(title)
    return f"{match[1]}-{match[2]}" if match and match[1] <= match[2] else ""


def document_type(title: str, has_number: bool, is_article: bool) -> tuple[str, str]:
    """(type, why) from the title's words (data/import.yml ``types``) and the layout."""
    words = load_rules().get("types", {})
    hit = next((w for w in words.get("interpretation", []) if w in title), "")
    if hit:
        return "interpretation", f"标题含“{hit}”"
    hit = next((w for w in words.get("talent", []) if w in title), "")
    if hit and period(title):
        return "talent", f"标题含“{hit}”和规划期"
    if not has_number and is_article:
        return "case", "没有发文字号和版头，是一篇文章"
    hit = next((w for w in words.get("fund", []) if w in title), "")
    if hit:
        return "fund", f"标题含“{hit}”"
    return "policy", "有发文字号，标题中没有资金、规划、解读等词"


# -- topics, levels, tags, summary ---------------------------------------------------------------


def _scores(table: dict[str, list[str]], title: str, text: str) -> tuple[Counter, Counter]:
    scores: Counter = Counter()
    words: Counter = Counter()
    for key, keywords in table.items():
        for word in keywords:
            hits = title.count(word) * 3 + text.count(word)
            if hits:
                scores[key] += hits
                words[word] += hits
    return scores, words


def topics(title: str, text: str, vocab: Vocabulary) -> tuple[list[str], list[str]]:
    """(topic keys, the keywords that decided them)."""
    rules = load_rules()
    table = {k: v for k, v in rules.get("topics", {}).items() if k in vocab.topics}
    scores, words = _scores(table, title, text)
    if not scores:
        return [t for t in rules.get("default_topics", []) if t in vocab.topics] or [next(iter(vocab.topics))], []
    best = scores.most_common(1)[0][1]
    chosen = [k for k, s in scores.most_common() if s >= best * rules.get("topic_ratio", 0.5)]
    return chosen[: rules.get("max_topics", 3)], [w for w, _ in words.most_common(rules.get("max_tags", 5))]


def levels(title: str, text: str, vocab: Vocabulary) -> list[str]:
    rules = load_rules()
    table = {k: v for k, v in rules.get("levels", {}).items() if k in vocab.levels}
    scores, _ = _scores(table, title, text)
    chosen = [k for k in vocab.levels if scores[k] >= rules.get("level_min_hits", 2)]
    return chosen or [k for k in rules.get("default_levels", []) if k in vocab.levels] or [next(iter(vocab.levels))]


def summary(paragraphs: list[str]) -> str:
    """The first sentences of the body, up to the length data/import.yml allows."""
    limit = min(int(load_rules().get("summary_chars", 120)), 200)
    out = ""
    for text in paragraphs:
        text = re.sub(r"^第[一二三四五六七八九十百]+条\s*", "", text.strip())
        for sentence in re.findall(r"[^。！？]+[。！？]?", text):
            if len(out) + len(sentence) > limit:
                if not out:
                    cut = sentence[: limit - 1]
                    out = cut[: cut.rfind("，")] if "，" in cut[limit // 2 :] else cut
                    out += "……" if len(out) <= limit - 2 else ""
                return out
            out += sentence
            if len(out) >= 40 and out.endswith("。"):
                return out
    return out


# -- in force ------------------------------------------------------------------------------------
_DAY = r"((?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年[^日]{1,6}日)"
_FROM_DAY = re.compile(rf"自{_DAY}起(?:施行|执行|实施)")
_UNTIL = re.compile(rf"有效期至{_DAY}")


def in_force(
    paragraphs: list[str], issued: dt.date, published: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """(施行日期, 有效期至) as the text says them of itself: 自2024年5月1日起施行, 自印发之日起施行 (the
    成文日期), 自发布之日起施行 (the 发布日期, else the 成文日期), 有效期至…; a sentence citing 《another
    document》 speaks of that one."""
    effective = expires = None
    for text in paragraphs:
        for sentence in re.findall(r"[^。；]+", text):
            if "《" in sentence:
                continue
            if effective is None and (match := _FROM_DAY.search(sentence)):
                effective = parse_date(match.group(1))
            elif effective is None and (match := FROM_ISSUE.search(sentence)):
                effective = issued if match.group(1) == "印发" else (published or issued)
            if expires is None and (match := _UNTIL.search(sentence)):
                expires = parse_date(match.group(1))
    return effective, expires


# -- references ----------------------------------------------------------------------------------


def interpreted(title: str, texts: list[str], library: Library) -> tuple[Known | None, str]:
    """The document an interpretation explains: a 《…》 of its title, else of its text, else a 文号 in it."""
    for text in [title, *texts[:6]]:
        for name in NAMED.findall(text):
            if found := library.by_title(name):
                return found, f"《{name}》"
    for text in texts:
        if (number := find_doc_number(text)) and (found := library.by_number(number[1])):
            return found, number[1]
    names = NAMED.findall(title) or [n for t in texts[:3] for n in NAMED.findall(t)]
    return None, f"《{names[0]}》" if names else ""


def superseded(texts: list[str], library: Library) -> list[tuple[Known, str, str]]:
    """(document, validity, the sentence) for each earlier document a sentence repeals or amends."""
    words = load_rules().get("supersede", {})
    found: list[tuple[Known, str, str]] = []
    for text in texts:
        for sentence in re.findall(r"[^。]+。?", text):
            validity = next((v for v, ws in words.items() if any(w in sentence for w in ws)), "")
            if not validity:
                continue
            targets = [library.by_number(n[1]) for n in _numbers(sentence)]
            targets += [library.by_title(name) for name in NAMED.findall(sentence)]
            for target in targets:
                if target and target.path not in [f[0].path for f in found]:
                    found.append((target, validity, sentence.strip()))
    return found


def _numbers(text: str) -> list[tuple[str, str]]:
    out = []
    while (found := find_doc_number(text)) is not None:
        out.append(found)
        text = text[text.index(found[0]) + len(found[0]) :]
    return out


# -- file name -----------------------------------------------------------------------------------


def _segment(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr
    return [word for word in jieba.lcut(text) if word.strip()]


def slug(title: str) -> str:
    rules = load_rules()
    core = title
    for word in rules.get("slug_drop", []):
        core = core.replace(word, "")
    years = period(title).split("-") if period(title) else []
    core = PERIOD.sub("", core)
    words: list[str] = []
    for piece in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", core):
        if re.match(r"[A-Za-z0-9]", piece):
            words.append(piece.lower())
        else:  # words, not syllables: 队伍建设 → duiwu-jianshe
            words.extend("".join(lazy_pinyin(word)) for word in _segment(piece))
    words = [w for w in words if re.fullmatch(r"[a-z0-9]+", w)][: rules.get("slug_max_words", 5)]
    return "-".join(words + years) or "document"
