"""发文字号 (document numbers) in the form of GB/T 9704-2012: 机关代字〔年份〕序号号."""

from __future__ import annotations

import re

# 机关代字: no bracket, digit or space. It may end in 字: 组通字〔2021〕10号 (中组部) and 厅字〔2019〕41号
# (中办) are real; whether a 代字 is the issuer's own is data/issuers.yml's business (kb/issuers.py).
AGENCY_CHARS = r"[^\s\d〔〕\[\]()（）【】［］﹝﹞{}０-９]"  # what a 机关代字 is made of
DOC_NUMBER = re.compile(rf"^(?P<agency>{AGENCY_CHARS}+)〔(?P<year>[0-9]{{4}})〕(?P<seq>[1-9][0-9]*)号$")
EXPECTED = "机关代字 + 〔年份〕（六角括号 U+3014/U+3015）+ 不带 0 开头的序号 + 号，例如 X宣发〔2024〕3号"

_WRONG_BRACKETS = re.compile(r"[\[\]()（）【】［］﹝﹞{}]")


def hint(value: str) -> str:
    """Why ``value`` is not a valid 发文字号, as specifically as we can tell."""
    if wrong := "".join(_WRONG_BRACKETS.findall(value)):
        return f"年份须用六角括号〔〕括起（可从本提示中复制），不能用“{wrong}”"
    if "第" in value:
        return "序号前不写“第”"
    if re.search(r"〕\s*字", value):
        return "〔年份〕后直接写序号，不写“字”"
    if re.search(r"[０-９]", value):
        return "数字须用半角"
    if not re.match(r"^[^\d〔〕]+〔", value) and "〔" in value:
        return "顺序应为 机关代字 + 〔年份〕 + 序号 + 号"
    if re.search(r"〕0\d*", value):
        return "序号不能以 0 开头"
    if "〔" in value and not re.search(r"〔\d{4}〕", value):
        return "〔〕中须为四位年份"
    if not value.endswith("号"):
        return "须以“号”结尾"
    if re.search(r"\s", value):
        return "发文字号中不能有空格"
    return "格式不符合 GB/T 9704-2012"


def parse(value: str) -> re.Match[str] | None:
    return DOC_NUMBER.match(value)


def sort_key(value: str) -> str:
    """Orders numbers by 机关代字, then year, then sequence as a number (3号 before 11号)."""
    match = parse(value)
    return f"{match['agency']}〔{match['year']}〕{int(match['seq']):06d}" if match else value
