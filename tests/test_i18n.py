"""English is available for the whole UI; Chinese stays the default.

The catalogue (locale/en/LC_MESSAGES/django.po, msgids are the Chinese source strings) must be
complete: no empty msgstr, no fuzzy entry, the same placeholders on both sides, and the committed
django.mo must match it. Key pages render in English after the 中文/English switch and still in
Chinese for a fresh client."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
HAN = re.compile(r"[\u4e00-\u9fff]+")
SAME_IN_ENGLISH = {"简体中文", "English", "Excel", "PDF", "Open311"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%")
_FIELD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) \"(.*)\"$")


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)


def parse_po(path: Path) -> list[dict[str, Any]]:
    """The entries of a .po file: msgid, msgid_plural, msgstr list, and the flags (#, …)."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] | None = None
    field = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"flags": set(), "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = _FIELD.match(line)
        if match:
            field, value = match.group(1), _unquote(match.group(2))
            if field.startswith("msgstr"):
                index = int(field[7:-1]) if "[" in field else 0
                entry["msgstr"][index] = value
                field = f"msgstr:{index}"
            else:
                entry[field] = value
        elif line.startswith('"'):
            value = _unquote(line[1:-1])
            if field.startswith("msgstr:"):
                entry["msgstr"][int(field[7:])] += value
            else:
                entry[field] += value
    return entries


def test_the_catalogue_is_complete_without_fuzzy_or_empty_entries() -> None:
    entries = parse_po(PO)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    assert len(messages) > 900
    problems = []
    for entry in messages:
        msgid = entry["msgid"]
        expected = sorted(PLACEHOLDER.findall(msgid))
        if "fuzzy" in entry["flags"]:
            problems.append(("fuzzy", msgid))
        wanted = 2 if entry["msgid_plural"] is not None else 1
        if len(entry["msgstr"]) != wanted:
            problems.append(("plural forms", msgid))
        for text in entry["msgstr"].values():
            if not text.strip():
                problems.append(("empty", msgid))
            elif sorted(PLACEHOLDER.findall(text)) != expected:
                problems.append(("placeholders", msgid))
            elif any(part not in msgid for part in HAN.findall(text)):
                problems.append(("Chinese not from the source", msgid))
            elif text == msgid and msgid not in SAME_IN_ENGLISH:
                problems.append(("untranslated", msgid))
    assert problems == []


def test_the_compiled_catalogue_is_committed_and_current() -> None:
    assert MO.exists() and MO.stat().st_size > 10_000
    with translation.override("en"):
        assert translation.gettext("接诉即办") == "Request Handling (Respond on Receipt)"
        assert translation.gettext("派单") == "Dispatch"
        # The newest msgid of the .po is in the .mo, so the .mo was compiled from this .po.
        last = parse_po(PO)[-1]
        if last["msgid_plural"] is None:
            assert translation.gettext(last["msgid"]) == last["msgstr"][0]
    with translation.override("zh-hans"):
        assert translation.gettext("接诉即办") == "接诉即办"


def _english(client: Client) -> Client:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# Per page: English words that must appear, and the Chinese words they replace.
PAGES: dict[str, tuple[list[str], list[str]]] = {
    "/accounts/login/": (
        ["Staff login", "Mobile number", "Password", "Log in", "Submit a request"],
        ["工作人员登录", "手机号", "密码", "登录"],
    ),
    "/org/": (
        ["Organisation tree", "Search by name or division code", "Expand"],
        ["组织架构", "区划代码", "展开"],
    ),
    "/workorders/list/": (
        ["Request list", "Lead unit", "Received from", "Filter", "No matching requests"],
        ["工单列表", "主办单位", "受理日期自", "筛选", "没有符合条件的工单", "接诉即办"],
    ),
    "/ask/": (
        ["Report a problem", "Request type", "Request category", "Submit anonymously"],
        ["我要反映问题", "诉求类型", "诉求分类", "匿名提交", "提交诉求"],
    ),
    "/projects/": (
        ["Practical projects ledger", "Lead official", "Export to Excel", "No matching projects"],
        ["实事项目台账", "牵头领导", "导出Excel", "没有符合条件的项目"],
    ),
}


@pytest.mark.django_db
def test_key_pages_render_in_english_after_switching(tree: Any, cast: Any) -> None:
    anonymous = _english(Client())
    staff = _english(Client())
    staff.force_login(cast.superuser(tree.city))
    for url, (english, chinese) in PAGES.items():
        client = anonymous if url in ("/accounts/login/", "/ask/") else staff
        text = _page(client, url)
        assert '<html lang="en">' in text, url
        for word in english:
            assert word in text, (url, word)
        for word in chinese:
            assert word not in text, (url, word)
    # The switch back is offered in Chinese, and the nav (Python labels) is English too.
    text = _page(staff, "/workorders/list/")
    assert 'value="zh-hans">中文</button>' in text
    assert "Request Handling (Respond on Receipt)" in text and "Three-rate rankings" in text


@pytest.mark.django_db
def test_chinese_is_the_default_for_a_fresh_client(tree: Any, cast: Any) -> None:
    text = _page(Client(), "/accounts/login/")
    assert '<html lang="zh-CN">' in text and "工作人员登录" in text and "Staff login" not in text
    assert 'value="en">English</button>' in text
    staff = Client()
    staff.force_login(cast.superuser(tree.city))
    text = _page(staff, "/workorders/list/")
    assert "工单列表" in text and "没有符合条件的工单" in text and "Request list" not in text


@pytest.mark.django_db
def test_switching_back_restores_chinese(tree: Any) -> None:
    client = _english(Client())
    assert "Staff login" in _page(client, "/accounts/login/")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    text = _page(client, "/accounts/login/")
    assert "工作人员登录" in text and "Staff login" not in text
