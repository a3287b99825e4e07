"""The 文书 checks as units: 文号 in the forms real agencies use, and the data files they read.
(Each rule's message is pinned by its case in tests/rules/.)"""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

from kb import docnumber
from kb.data import load_vocabulary
from kb.fields import check_doc_number
from kb.schema import FIELDS_BY_KEY


@pytest.mark.parametrize(
    "number",
    [
        "X宣发〔2024〕3号",
        "组通字〔2021〕10号",
        "厅字〔2019〕41号",
        "国办发〔2024〕12号",
        "X委办发〔2023〕7号",
        "中办发〔2021〕1号",
    ],
)
def test_real_forms_are_accepted(number):
    assert check_doc_number(FIELDS_BY_KEY["doc_number"], number, load_vocabulary()) == (number, None)


@pytest.mark.parametrize(
    "number, hint",
    [
        ("X宣发[2024]3号", "六角括号"),
        ("X宣发〔24〕3号", "四位年份"),
        ("X宣发〔2024〕03号", "0 开头"),
        ("X宣发〔2024〕第3号", "第"),
        ("X宣发〔2024〕字3号", "不写“字”"),
        ("〔2024〕X宣发3号", "顺序"),
        ("X宣发3号〔2024〕", "顺序"),
        ("X宣发〔２０２４〕3号", "半角"),
    ],
)
def test_wrong_brackets_years_and_order_are_refused(number, hint):
    value, problem = check_doc_number(FIELDS_BY_KEY["doc_number"], number, load_vocabulary())
    assert value is None and hint in problem[0]


def test_every_issuer_has_codes_an_english_name_and_an_owner():
    issuers = yaml.safe_load((ROOT / "data" / "issuers.yml").read_text(encoding="utf-8"))
    codes = [code for spec in issuers.values() for code in spec["codes"]]
    assert len(codes) == len(set(codes)), "a 机关代字 belongs to one issuer"
    for name, spec in issuers.items():
        assert spec["en"] and spec["owner"], name
        assert all(docnumber.parse(f"{code}〔2024〕1号") for code in spec["codes"]), name


def test_the_glossary_gives_one_english_term_per_chinese_term():
    glossary = yaml.safe_load((ROOT / "data" / "glossary.yml").read_text(encoding="utf-8"))
    for zh, spec in glossary["terms"].items():
        assert spec["en"] and spec["en"] not in spec.get("wrong", []), zh
    assert all(american != british for american, british in glossary["spelling"].items())
