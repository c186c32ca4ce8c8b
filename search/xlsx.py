"""Excel workbooks for office staff (pandas + openpyxl, the optional extra `vanban[xlsx]`).

Vietnamese is written as is (xlsx is UTF-8 XML); day dates become real date cells shown
dd/mm/yyyy; every sheet gets a bold frozen header, a filter, column widths that fit, and
prints landscape with the header on every page.
The file is written next to its target and moved into place, so a failed write leaves no
half file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.search.commands import UserError
from vanban.search.output import width

__all__ = ["INSTALL_HINT", "Sheet", "check_target", "write_workbook"]

INSTALL_HINT = 'pip install "vanban[xlsx]"'
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_COL_WIDTH = 50


@dataclass(frozen=True)
class Sheet:
    """One worksheet: ``rows`` (dicts) shown as ``columns`` under ``headers``."""

    name: str
    rows: Sequence[dict[str, Any]]
    columns: Sequence[str]
    headers: Sequence[str] | None = None
    date_columns: Sequence[str] = ()


def _require_openpyxl() -> None:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise UserError(f"writing .xlsx needs openpyxl, which is not installed — "
                        f"{INSTALL_HINT}") from None


def _cell(value: Any, as_date: bool) -> Any:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value if v is not None) or None
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
    if as_date and isinstance(value, str) and _DAY.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _frame(sheet: Sheet) -> Any:
    import pandas as pd

    dates = set(sheet.date_columns)
    data = [[_cell(row.get(c), c in dates) for c in sheet.columns] for row in sheet.rows]
    return pd.DataFrame(data, columns=list(sheet.headers or sheet.columns), dtype=object)


def _format(ws: Any, sheet: Sheet, frame: Any) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"
    if len(frame.index):
        ws.auto_filter.ref = ws.dimensions
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(frame.columns, 1):
        values = [str(column)] + [str(v) for v in frame.iloc[:, i - 1] if v is not None]
        wanted = max(width(v) for v in values) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(_MAX_COL_WIDTH, wanted)
        for cell in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            if isinstance(cell[0].value, dt.date):
                cell[0].number_format = "DD/MM/YYYY"
            cell[0].alignment = Alignment(vertical="top")


def _file_mode() -> int:
    """The mode a new file gets here (mkstemp makes its files private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_target(path: str | Path) -> None:
    """Raise ``UserError`` now if a workbook cannot be written to ``path`` (openpyxl
    missing, a folder there), before any slow work whose answer it would hold."""
    _require_openpyxl()
    if Path(path).is_dir():
        raise UserError(f"{path}: is a directory — give a file name ending in .xlsx")


def write_workbook(path: str | Path, sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` to the .xlsx file ``path`` (raises ``UserError`` saying why not)."""
    check_target(path)
    import pandas as pd

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(suffix=".xlsx", prefix=".vanban-", dir=folder)
    except OSError as exc:
        raise UserError(f"{target}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for sheet in sheets:
                frame = _frame(sheet)
                frame.to_excel(writer, sheet_name=sheet.name[:31], index=False)
                _format(writer.sheets[sheet.name[:31]], sheet, frame)
        os.chmod(tmp, _file_mode())
        os.replace(tmp, target)
    except OSError as exc:
        raise UserError(f"{target}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
