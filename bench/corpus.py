"""A synthetic knowledge base for the benchmark: N documents that are valid by the content model.

    python -m bench.corpus N OUT [--seed S]

writes ``OUT`` as a docs tree: the ordinary pages of the project's ``docs/`` (links to documents that
are not in the corpus become plain text) and N documents across the five sections, composed from the
phrases in ``bench/corpus.yml``: articles 第N条 for official documents, practices and results for cases,
questions and answers for interpretations; issuers, unique 文号 in GB/T 9704 form, dates 2019 to
:data:`BENCH_DATE`, owners, topics, levels, supersedes chains, expired documents, about 10 % internal,
about 10 % with an English translation. The same N and seed always give the same tree.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import itertools
import posixpath
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb import consistency, glossary
from kb.data import PROJECT_ROOT, load_vocabulary
from kb.validate import generated_pages

PHRASES = Path(__file__).with_name("corpus.yml")
BENCH_DATE = dt.date(2026, 11, 28)  # "today" of the corpus; the benchmark builds with KB_BUILD_DATE set to it
FIRST_DAY = dt.date(2019, 1, 1)
SHARES = {"policies": 34, "funds": 14, "talent": 10, "cases": 26, "interpretations": 16}  # per cent
INTERNAL, TRANSLATED, SUCCESSOR, ATTACHED = 0.10, 0.10, 0.15, 0.05
LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")


@dataclass
class Doc:
    index: int
    section: str
    slug: str
    meta: dict
    subject: list[str]  # [中文, English, slug]
    kind: str = ""  # what an official document calls itself: 办法, 意见, …
    body: str = ""
    translated: bool = False
    replaces: Doc | None = None  # the document an official one supersedes
    interprets: Doc | None = None  # the document an interpretation explains
    related: list[Doc] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"{self.section}/{self.slug}.md"

    @property
    def public(self) -> bool:
        return self.meta["visibility"] == "public"

    @property
    def date(self) -> dt.date:
        return self.meta.get("issued") or self.meta["date"]


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (articles and questions go below 100)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones or not head else "")


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class _Slots(dict):
    """Template values: the document's own, and a fresh random phrase for any other {slot}."""

    def __init__(self, corpus: Corpus, theme: dict, **fixed):
        super().__init__(fixed)
        self.corpus, self.theme = corpus, theme

    def __missing__(self, key: str) -> str:
        rng, p = self.corpus.rng, self.corpus.phrases
        number = {
            "count": (2, 6),
            "count2": (40, 260),
            "money": (10, 300),
            "money2": (2, 30),
            "day": (20, 28),
            "households": (800, 6000),
            "people": (2000, 18000),
            "pct": (52, 78),
            "pct2": (86, 98),
        }
        if key in number:
            return str(rng.randint(*number[key]))
        if key in ("task", "result", "result2"):
            return rng.choice(self.theme["tasks" if key == "task" else "results"])
        choices = {
            "cycle": ["月", "季度", "半年"],
            "purpose": p["purposes"],
            "lead": p["leads"],
            "slogan": p["slogans"],
        }
        return rng.choice(choices[key])


class Corpus:
    def __init__(self, count: int, seed: int, today: dt.date):
        self.count, self.today = count, today
        self.rng = random.Random(seed)
        self.phrases = yaml.safe_load(PHRASES.read_text(encoding="utf-8"))
        self.themes = self.phrases["themes"]
        self.vocab = load_vocabulary()
        self.terms = glossary.terms(self.vocab)
        self.docs: list[Doc] = []
        self.numbers: collections.Counter = collections.Counter()  # (代字, year) -> last sequence
        self.attachments: list[str] = []

    # -- plan -----------------------------------------------------------------------------------
    def plan(self) -> None:
        counts = _split(self.count, SHARES)
        official = [(s, self._day()) for s in ("policies", "funds", "talent") for _ in range(counts[s])]
        for section, issued in sorted(official, key=lambda item: item[1]):
            self.docs.append(self.official(section, issued))
        targets = [d for d in self.docs if d.meta["issued"] < self.today - dt.timedelta(days=3)]
        for _ in range(counts["cases"]):
            self.docs.append(self.case())
        for _ in range(counts["interpretations"]):
            self.docs.append(self.interpretation(self.rng.choice(targets)))
        for doc in self.docs:
            doc.translated = self.rng.random() < TRANSLATED

    def _day(self, start: dt.date = FIRST_DAY, end: dt.date | None = None) -> dt.date:
        end = min(end or self.today, self.today)
        return start + dt.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def _new(self, section: str, topics: list[str], subject_topic: str, slug_word: str, meta: dict) -> Doc:
        rng = self.rng
        subject = rng.choice(self.themes[subject_topic]["subjects"])
        index = len(self.docs)
        levels = sorted(rng.sample(list(self.vocab.levels), rng.randint(1, 3)), key=list(self.vocab.levels).index)
        tags = rng.sample([s[0] for t in topics for s in self.themes[t]["subjects"]], 2)
        head = {
            "title": "",
            "summary": "",
            "topics": topics,
            "levels": levels,
            "tags": tags,
            "visibility": "internal" if rng.random() < INTERNAL else "public",
        }
        return Doc(index, section, f"{subject[2]}-{slug_word}-{index + 1}", head | meta, subject)

    def _topics(self, first: str | None = None) -> list[str]:
        keys = list(self.vocab.topics)
        first = first or self.rng.choice(keys)
        return [first] + self.rng.sample([k for k in keys if k != first], self.rng.randint(0, 2))

    def official(self, section: str, issued: dt.date) -> Doc:
        rng = self.rng
        first = {"funds": "funding", "talent": rng.choice(["talent", "training"])}.get(section)
        topics = self._topics(first)
        form, slug_word, kind = rng.choice(self.phrases["titles"][section])
        issuers = [i for i in self.phrases["issuers"] if section in i["sections"]]
        chosen = rng.sample(issuers, 2 if rng.random() < 0.25 else 1)
        meta: dict = {}
        if section != "talent" or rng.random() < 0.8:
            meta["doc_number"] = self._number(chosen[0]["code"], issued.year)
        meta["issuer"] = chosen[0]["name"] if len(chosen) == 1 else [i["name"] for i in chosen]
        meta["issued"] = issued
        if rng.random() < 0.8:
            meta["published"] = min(issued + dt.timedelta(days=rng.randint(0, 10)), self.today)
        meta["effective"] = min(issued + dt.timedelta(days=rng.randint(0, 30)), self.today)
        start, end = issued.year, issued.year + rng.randint(1, 4)
        if section == "talent" and rng.random() < 0.5:
            meta["expires"] = dt.date(end, 12, 31)
        elif rng.random() < 0.15:
            meta["expires"] = meta["effective"] + dt.timedelta(days=rng.randint(365, 1100))
        meta["validity"] = "current"
        meta["owner"] = chosen[0]["owner"]
        meta["reviewed"] = self._day(issued)
        if rng.random() < 0.1:
            meta["review_months"] = rng.choice([6, 24, 36])
        if section == "funds":
            meta["fund"] = rng.choice(self.phrases["funds"])
            meta["budget_wan"] = rng.randint(20, 800)
        if section == "talent":
            meta["period"] = f"{start}-{end}"
        doc = self._new(section, topics, topics[-1] if section == "funds" else topics[0], slug_word, meta)
        doc.kind = kind
        predecessor = self._predecessor(doc)
        if predecessor is not None:
            doc.subject, doc.replaces = predecessor.subject, predecessor
            form = predecessor.extra["form"]
            predecessor.meta["validity"] = rng.choice(["amended", "amended", "repealed"])
            predecessor.meta["title"] += rng.choice(self.phrases["revision"])
            doc.meta["supersedes"] = [predecessor.path]
        elif rng.random() < 0.03:
            doc.meta["validity"] = "repealed"
        doc.extra["form"] = form
        doc.meta["title"] = form.format(subject=doc.subject[0], year=issued.year, start=start, end=end)
        doc.meta["summary"] = (
            f"明确{doc.subject[0]}的目标任务、职责分工、工作要求和保障措施，"
            f"推动{rng.choice(self.themes[topics[0]]['results'])}。"
        )
        self._links(doc, self.docs)
        if rng.random() < ATTACHED:
            path = f"attachments/{doc.slug}.{rng.choice(['pdf', 'docx', 'xlsx'])}"
            self.attachments.append(path)
            doc.meta["attachments"] = [path]
        return doc

    def _number(self, code: str, year: int) -> str:
        self.numbers[code, year] += self.rng.randint(1, 6)
        return f"{code}〔{year}〕{self.numbers[code, year]}号"

    def _predecessor(self, doc: Doc) -> Doc | None:
        """An older current document of the same section that this one replaces, now and then."""
        if self.rng.random() >= SUCCESSOR:
            return None
        limit = doc.meta["issued"] - dt.timedelta(days=60)
        # The same stretch of time at every size: the last 200 of 2,000 documents. A fixed 200 covered
        # too little time at 20,000 for any to be 60 days older: 1.7 % were superseded instead of 10 %.
        recent = self.docs[-max(200, self.count // 10) :]
        candidates = [
            d
            for d in recent
            if d.section == doc.section
            and d.meta["validity"] == "current"
            and d.meta["issued"] < limit
            and (d.public or not doc.public)
            and not _later_plan(doc, d)
        ]
        return self.rng.choice(candidates) if candidates else None

    def _links(self, doc: Doc, pool: list[Doc]) -> None:
        """A few related documents; a public document only names public ones."""
        if not pool or self.rng.random() < 0.5:
            return
        picks = {d.path: d for d in (self.rng.choice(pool) for _ in range(self.rng.randint(1, 3)))}
        doc.related = [d for _, d in sorted(picks.items()) if d.public or not doc.public]
        if doc.related:
            doc.meta["related"] = [d.path for d in doc.related]

    def case(self) -> Doc:
        rng, p = self.rng, self.phrases
        level = rng.choice(list(self.vocab.levels))
        town, community = rng.choice(p["towns"]), rng.choice(p["communities"])
        unit, short = {
            "district": ("中共X区委宣传部", "区委宣传部"),
            "subdistrict": (f"中共X区{town}工作委员会", town),
            "community": (f"中共X区{town}{community}委员会", community),
            "grid": (f"X区{town}{community}第{rng.randint(1, 12)}网格党支部", f"{community}第{rng.randint(1, 12)}网格"),
        }[level]
        meta = {"date": self._day(), "unit": unit}
        if rng.random() < 0.4:
            meta["honors"] = rng.sample(p["honors"], rng.randint(1, 2))
        topics = self._topics()
        doc = self._new("cases", topics, topics[0], "case", meta)
        doc.meta["levels"] = [level]
        doc.extra["unit_short"] = short
        slots = _Slots(self, self.themes[topics[0]], subject=doc.subject[0], unit_short=short)
        doc.meta["title"] = rng.choice(p["case_titles"]).format_map(slots)
        doc.meta["summary"] = f"{short}围绕{doc.subject[0]}，{slots['task']}，{slots['result']}。"
        # A case cites its first related document (case_body): one issued before the case.
        self._links(doc, [d for d in self.docs if d.meta.get("issued") and d.meta["issued"] <= meta["date"]])
        return doc

    def interpretation(self, target: Doc) -> Doc:
        rng = self.rng
        meta = {
            "interprets": target.path,
            "date": min(target.meta["issued"] + dt.timedelta(days=rng.randint(1, 40)), self.today),
            "author": target.meta["owner"] if rng.random() < 0.7 else "区委宣传部",
        }
        doc = self._new("interpretations", target.meta["topics"], target.meta["topics"][0], "qa", meta)
        doc.subject, doc.interprets = target.subject, target
        doc.meta["levels"] = target.meta["levels"]
        if not target.public:
            doc.meta["visibility"] = "internal"
        doc.meta["title"] = rng.choice(self.phrases["interpretation_titles"]).format(title=target.meta["title"])[:100]
        doc.meta["summary"] = f"解读{target.meta['title']}的出台背景、适用范围、主要任务、职责分工和考核要求。"[:200]
        return doc

    # -- text -----------------------------------------------------------------------------------
    def write(self, out: Path) -> None:
        for path in self.attachments:
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            # Bytes of the type its name says (make check reads how a file begins): a PDF, or an empty zip.
            pdf = b"%PDF-1.4\n% synthetic attachment of the benchmark corpus\n"
            (out / path).write_bytes(pdf if path.endswith(".pdf") else b"PK\x05\x06" + bytes(18))
        for doc in self.docs:
            body = {"cases": self.case_body, "interpretations": self.qa_body}.get(doc.section, self.official_body)(doc)
            folder = out / doc.section
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{doc.slug}.md").write_text(_front_matter(doc.meta) + "\n" + body, encoding="utf-8")
            if doc.translated:
                title, summary, text = self.english(doc, body)
                (folder / f"{doc.slug}.en.md").write_text(
                    _front_matter({"title": title, "summary": summary}) + "\n" + text, encoding="utf-8"
                )

    def _slots(self, doc: Doc) -> _Slots:
        meta = doc.meta
        effective = meta.get("effective") or meta["date"]
        return _Slots(
            self,
            self.themes[meta["topics"][0]],
            subject=doc.subject[0],
            kind=doc.kind,
            owner=meta.get("owner", ""),
            effective=cn_date(effective),
            end_year=effective.year + 2,
            expires=cn_date(meta["expires"]) if meta.get("expires") else "",
            unit=meta.get("unit", ""),
            unit_short=doc.extra.get("unit_short", ""),
            year=doc.date.year,
        )

    def _cite(self, doc: Doc, other: Doc | None) -> str:
        """《title》 of another document, as a link when this document may link to it."""
        if other is None:
            return "《X区关于新时代加强和改进思想政治工作的贯彻落实举措》"
        title = other.meta["title"]
        return f"[《{title}》](../{other.path})" if other.public or not doc.public else f"《{title}》"

    def official_body(self, doc: Doc) -> str:
        rng, p, meta = self.rng, self.phrases, doc.meta
        slots = self._slots(doc)
        basis = doc.replaces or (self.docs[rng.randrange(doc.index)] if doc.index and rng.random() < 0.3 else None)
        slots["basis"] = self._cite(doc, basis)
        lines = []
        if doc.kind in p["endings"]:
            slots["ending"] = p["endings"][doc.kind]
            lines += [rng.choice(p["addressees"]), p["preamble"].format_map(slots)]
        articles = itertools.cycle(rng.sample(p["articles"], len(p["articles"])))
        chapters = ["总则", *rng.sample(p["chapters"][1:], rng.randint(3, 5)), "附则"]
        number = 0
        for chapter, name in enumerate(chapters):
            lines.append(f"## 第{cn_number(chapter + 1)}章　{name}")
            if name == "附则":
                break
            for _ in range(len(p["general"]) if chapter == 0 else rng.randint(2, 6)):
                number += 1
                if chapter and rng.random() < 0.12:
                    items = rng.sample(p["items"], rng.randint(3, 5))
                    lines.append(f"**第{cn_number(number)}条**　" + rng.choice(p["list_intro"]).format_map(slots))
                    lines += [
                        f"（{cn_number(i + 1)}）{item}" + ("；" if i < len(items) - 1 else "。")
                        for i, item in enumerate(items)
                    ]
                else:
                    text = p["general"][number - 1] if chapter == 0 else next(articles)
                    lines.append(f"**第{cn_number(number)}条**　" + text.format_map(slots))
        if doc.section == "funds" and rng.random() < 0.5:
            towns = rng.sample(p["towns"], rng.randint(4, 8))
            rows = [f"| {town} | {rng.randint(1, 9)} | {rng.randint(5, 60)} |" for town in towns]
            lines[-1:-1] = [
                f"表1　{doc.date.year}年度资金分配（单位：万元）",
                "\n".join(["| 单位 | 项目数 | 金额 |", "|---|---:|---:|", *rows]),
            ]
        closing = [c for c in p["closing"] if "{expires}" not in c or meta.get("expires")]
        for text in (closing[0], rng.choice(closing[1:])):
            number += 1
            text = text.format_map(slots)
            if doc.replaces is not None and "施行" in text:
                # What the successor says of the document it replaces agrees with that one's validity
                # (kb.consistency: 同时废止 repeals, 修订 amends).
                old = doc.replaces.meta
                named = f"{cn_date(old['issued'])}印发的《{old['title']}》" + (
                    f"（{old['doc_number']}）" if old.get("doc_number") else ""
                )
                text += f"{named}同时废止。" if old["validity"] == "repealed" else f"本{doc.kind}系对{named}的修订。"
            lines.append(f"**第{cn_number(number)}条**　{text}")
        lines.append("　　".join(_as_list(meta["issuer"])) + "　　" + cn_date(meta["issued"]))
        return "\n\n".join(lines) + "\n"

    def case_body(self, doc: Doc) -> str:
        rng, p = self.rng, self.phrases
        slots = self._slots(doc)
        practices = rng.sample(p["case_practices"], rng.randint(3, 5))
        lessons = rng.sample(p["case_lessons"], rng.randint(2, 3))
        lines = [
            "## 背景",
            *(t.format_map(slots) for t in rng.sample(p["case_background"], 2)),
            "## 主要做法",
            *(t.format_map(slots) for t in practices),
            "## 取得成效",
            *(t.format_map(slots) for t in rng.sample(p["case_results"], 2)),
            "## 经验启示",
            *(f"{i + 1}. {t}" for i, t in enumerate(lessons)),
        ]
        if doc.related:
            lines.append(f"本案例涉及的政策依据见{self._cite(doc, doc.related[0])}。")
        return "\n\n".join(lines) + "\n"

    def qa_body(self, doc: Doc) -> str:
        rng, p = self.rng, self.phrases
        target = doc.interprets
        slots = self._slots(doc)
        slots.update(short=target.meta["title"], effective=cn_date(target.meta["effective"]))
        number = target.meta.get("doc_number")
        lines = [
            f"{cn_date(target.meta['issued'])}，{'、'.join(_as_list(target.meta['issuer']))}印发了"
            f"{self._cite(doc, target)}" + (f"（{number}）" if number else "") + "。现就大家关心的问题解答如下。"
        ]
        for i, (question, answer) in enumerate(rng.sample(p["questions"], rng.randint(5, 7))):
            extra = rng.choice(p["articles"]).format_map(slots)
            lines.append(
                f'??? question "{cn_number(i + 1)}、{question.format_map(slots)}"\n'
                f"    {answer.format_map(slots)}{extra}"
            )
        return "\n\n".join(lines) + "\n"

    def english(self, doc: Doc, body: str) -> tuple[str, str, str]:
        """A translation's title, summary and text, which render every glossary term of the original
        (its title and ``body``) as data/glossary.yml does, as make check asks."""
        title, summary, text = self._english(doc)
        original = doc.meta["title"] + "\n" + body
        used = [spec["en"] for zh, spec in self.terms.items() if zh in original]
        if used:
            text += f"\nThis translation renders the district's terms as agreed: {'; '.join(used)}.\n"
        return title, summary, text

    def _english(self, doc: Doc) -> tuple[str, str, str]:
        rng, en = self.rng, self.phrases["en"]
        subject = doc.subject[1]
        slots = {
            "subject": subject,
            "kind": en["kinds"].get(doc.section, ""),
            "count": rng.randint(2, 6),
            "money": rng.randint(10, 300),
            "unit": "community",
            "people": rng.randint(2000, 18000),
            "count2": rng.randint(40, 260),
            "pct": rng.randint(52, 78),
            "pct2": rng.randint(86, 98),
        }
        if doc.section == "cases":
            return (
                f"Exemplary case: {subject}",
                f"How a unit of X District improved {subject}.",
                "\n\n".join(t.format(**slots) for t in en["case"]) + "\n",
            )
        if doc.section == "interpretations":
            return (
                f"Questions and answers on {subject}",
                f"Explains the document on {subject}: why, who does what, how it is assessed.",
                "\n\n".join(t.format(**slots) for t in en["qa"]) + "\n",
            )
        articles = [f"**Article {i + 1}**　{t.format(**slots)}" for i, t in enumerate(en["articles"])]
        return (
            f"X District {slots['kind']} on {subject[0].upper() + subject[1:]}",
            f"Sets out the aims, duties, requirements and guarantees of {subject}.",
            "\n\n".join(articles) + "\n",
        )


def _later_plan(doc: Doc, old: Doc) -> bool:
    """Whether ``doc`` plans for a period after ``old``'s, which kb.consistency would warn of as a
    supersedes (the corpus writes periods as make check reads them: 2024-2026)."""
    return consistency.later_period(_period(doc), _period(old))


def _period(doc: Doc) -> tuple[int, int] | None:
    period = doc.meta.get("period")
    return None if period is None else (int(period.split("-")[0]), int(period.split("-")[1]))


def _as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def _split(count: int, shares: dict[str, int]) -> dict[str, int]:
    """``count`` split by per-cent shares, largest remainders first, so that the parts add up."""
    exact = {key: count * share / 100 for key, share in shares.items()}
    parts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - parts[k], reverse=True)[: count - sum(parts.values())]:
        parts[key] += 1
    return parts


def _front_matter(meta: dict) -> str:
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10**6)
    return f"---\n{text}---\n"


def copy_pages(docs: Path, out: Path, sections) -> None:
    """The project's ordinary pages and their files; links to documents outside the corpus become text."""
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs)
        if path.is_file() and rel.parts[0] not in sections and rel.parts[0] != "attachments":
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, out / rel)
    known = generated_pages(load_vocabulary())
    for page in sorted(out.rglob("*.md")):
        if page.relative_to(out).parts[0] in sections:
            continue
        base = page.parent.relative_to(out)

        def keep(match: re.Match, base: Path = base) -> str:
            target = match.group(2).split("#", 1)[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:|^/", target):
                return match.group(0)
            exists = (out / base / target).exists() or posixpath.normpath(f"{base.as_posix()}/{target}") in known
            return match.group(0) if exists else match.group(1)

        page.write_text(LINK.sub(keep, page.read_text(encoding="utf-8")), encoding="utf-8")


def generate(count: int, out: Path, *, seed: int = 8, today: dt.date = BENCH_DATE) -> dict:
    """Write a corpus of ``count`` documents into ``out`` (emptied first); return what it holds."""
    out = Path(out).resolve()
    if out == (PROJECT_ROOT / "docs").resolve() or (PROJECT_ROOT / "docs").resolve() in out.parents:
        raise SystemExit(f"refusing to write the benchmark corpus into {out}: that is the real content")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    corpus = Corpus(count, seed, today)
    corpus.plan()
    sections = set(corpus.vocab.sections)
    copy_pages(PROJECT_ROOT / "docs", out, sections)
    corpus.write(out)
    docs = corpus.docs
    sizes = sorted((out / d.path).stat().st_size for d in docs)
    return {
        "build_date": today.isoformat(),
        "documents": len(docs),
        "by_section": dict(collections.Counter(d.section for d in docs)),
        "internal": sum(not d.public for d in docs),
        "translations": sum(d.translated for d in docs),
        "superseded": sum(d.meta.get("validity") in ("amended", "repealed") for d in docs),
        "expired": sum(bool(d.meta.get("expires")) and d.meta["expires"] < today for d in docs),
        "attachments": len(corpus.attachments),
        "median_bytes": sizes[len(sizes) // 2] if sizes else 0,
        "total_bytes": sum(sizes),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    summary = generate(args.count, args.out, seed=args.seed)
    print(yaml.safe_dump(summary, allow_unicode=True, sort_keys=False), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
