"""Loading the national statistical divisions (and the city's functional units) into the tree.

The file is checked whole before anything is written: a malformed row is reported with file, line
and reason, and the import then writes nothing. Re-running an import matches units by code, so the
same file twice gives the same tree; a renamed division is renamed, a re-parented one is moved.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from banshi.core.errors import DomainError, ValidationFailed
from banshi.core.validation import clean_text, is_digits
from banshi.orgtree import services
from banshi.orgtree.choices import ALLOWED_PARENTS, CODE_LENGTHS, Level
from banshi.orgtree.models import OrgUnit

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FILES = [DATA_DIR / "changsha_divisions.csv", DATA_DIR / "changsha_units.csv"]
HEADER = ["code", "name", "level", "parent_code"]

# The statistics bureau names village-level units by their committees ("…社区居委会", "…村委会");
# the tree uses the place names people use.
_SUFFIXES = [
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
]


def normalize_name(name: str) -> str:
    for suffix, replacement in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + replacement
    return name


@dataclass(frozen=True)
class Row:
    source: str
    line: int
    code: str
    name: str
    level: str
    parent_code: str


class ImportFailed(DomainError):
    status = 400
    code = "import_failed"

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("导入失败，未写入任何数据：\n" + "\n".join(errors))


@dataclass
class ImportResult:
    created: int = 0
    renamed: int = 0
    moved: int = 0
    unchanged: int = 0


def _whole_tree() -> QuerySet[OrgUnit]:
    # Unscoped: the import command is run by an operator on the whole tree, with no user.
    return OrgUnit.objects.unscoped()


def read_rows(paths: list[Path]) -> list[Row]:
    """Parse and check every row of every file; raise ImportFailed listing every problem."""
    errors: list[str] = []
    rows: list[Row] = []
    seen: dict[str, Row] = {}
    existing: dict[str, str] = {
        code: level
        for code, level in _whole_tree().exclude(code=None).values_list("code", "level")
        if code
    }
    for path in paths:
        source = path.name
        try:
            handle = path.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise ImportFailed([f"{source}: 无法读取文件（{exc.strerror}）"]) from exc
        with handle:
            try:
                reader = csv.reader(handle)
                header = next(reader, None)
                if header is None or [h.strip() for h in header] != HEADER:
                    errors.append(f"{source}:1: 表头应为 {','.join(HEADER)}")
                    continue
                for line, values in enumerate(reader, start=2):
                    if not values or all(not v.strip() for v in values):
                        continue
                    row, reason = _check_row(source, line, values, seen, existing)
                    if reason:
                        errors.append(f"{source}:{line}: {reason}")
                    elif row is not None:
                        seen[row.code] = row
                        rows.append(row)
            except (UnicodeDecodeError, csv.Error) as exc:
                errors.append(f"{source}: 文件不是有效的 UTF-8 CSV（{exc}）")
    if errors:
        raise ImportFailed(errors)
    return rows


def _check_row(
    source: str,
    line: int,
    values: list[str],
    seen: dict[str, Row],
    existing: dict[str, str],
) -> tuple[Row | None, str]:
    if len(values) != len(HEADER):
        return None, f"应有{len(HEADER)}列，实际{len(values)}列"
    code, name, level, parent_code = (v.strip() for v in values)
    try:
        name = normalize_name(clean_text(name, field="名称", max_length=100))
        code = clean_text(code, field="代码", max_length=32)
        parent_code = clean_text(parent_code, field="上级代码", max_length=32, required=False)
    except ValidationFailed as exc:
        return None, exc.detail
    if level not in Level.values:
        return None, f"级别“{level}”无效"
    expected = CODE_LENGTHS.get(level)
    if expected is not None and (not is_digits(code) or len(code) != expected):
        return None, f"{Level(level).label}代码应为{expected}位数字：{code}"
    if code in seen:
        return None, f"代码{code}重复（第{seen[code].line}行已出现）"
    if not parent_code:
        if ALLOWED_PARENTS[level]:
            return None, f"{Level(level).label}必须填写上级代码"
    else:
        parent_level = seen[parent_code].level if parent_code in seen else existing.get(parent_code)
        if parent_level is None:
            return None, f"上级代码{parent_code}不存在（上级须在本行之前）"
        if parent_level not in ALLOWED_PARENTS[level]:
            return None, f"{Level(level).label}不能设在{Level(parent_level).label}之下"
        if (
            expected is not None
            and CODE_LENGTHS.get(parent_level)
            and not code.startswith(parent_code)
        ):
            return None, f"代码{code}与上级代码{parent_code}不一致"
    return Row(source, line, code, name, level, parent_code), ""


@transaction.atomic
def import_units(paths: list[Path] | None = None) -> ImportResult:
    rows = read_rows(paths or DEFAULT_FILES)
    result = ImportResult()
    by_code: dict[str, OrgUnit] = {
        u.code: u for u in _whole_tree().filter(code__in=[r.code for r in rows]) if u.code
    }
    # Rows come parents-first, so creating them generation by generation lets each generation be
    # one bulk insert plus one bulk path update.
    pending: list[Row] = []
    for row in rows:
        unit = by_code.get(row.code)
        if unit is None:
            pending.append(row)
            continue
        parent = by_code.get(row.parent_code) if row.parent_code else None
        if parent is None and row.parent_code:
            parent = _whole_tree().get(code=row.parent_code)
        changed = False
        if unit.name != row.name:
            services.orgunit_rename(actor=None, unit=unit, name=row.name)
            result.renamed += 1
            changed = True
        if parent is not None and unit.parent_id != parent.pk:
            by_code[row.code] = services.orgunit_move(actor=None, unit=unit, new_parent=parent)
            result.moved += 1
            changed = True
        if not changed:
            result.unchanged += 1
    result.created = _create_generations(pending, by_code)
    return result


def _create_generations(rows: list[Row], by_code: dict[str, OrgUnit]) -> int:
    created = 0
    remaining = rows
    while remaining:
        ready = [r for r in remaining if not r.parent_code or r.parent_code in by_code]
        if not ready:  # read_rows guarantees parents exist; this guards against a logic error
            raise ImportFailed([f"{r.source}:{r.line}: 上级无法解析" for r in remaining])
        units = []
        for row in ready:
            parent = by_code.get(row.parent_code) if row.parent_code else None
            if parent is None and row.parent_code:
                parent = _whole_tree().get(code=row.parent_code)
                by_code[row.parent_code] = parent
            units.append(
                services.NewUnit(parent=parent, level=row.level, name=row.name, code=row.code)
            )
        for unit in services.orgunits_bulk_create(actor=None, units=units):
            by_code[unit.code] = unit  # type: ignore[index]
        created += len(units)
        done = {r.code for r in ready}
        remaining = [r for r in remaining if r.code not in done]
    return created
