"""CSV writers for files a person opens in a spreadsheet: no cell can start a formula (CSV injection).

Built on defusedcsv, which prefixes a quote to a text cell starting with = + - @ | or % (numbers like -3.5
stay numbers). OWASP's list also has a leading tab and carriage return, which defusedcsv lets through;
`_also_escape` adds them, so every export here escapes one and the same set.
"""

from __future__ import annotations

from typing import Any

from defusedcsv import csv as defused

# Leading characters OWASP lists that defusedcsv does not escape itself.
_EXTRA = ("\t", "\r")


def _also_escape(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in _EXTRA:
        return "'" + value
    return value


class _Writer:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Any) -> Any:
        return self._writer.writerow([_also_escape(value) for value in row])

    def writerows(self, rows: Any) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file: Any, **fmtparams: Any) -> Any:
    """Like csv.writer(file), with every cell escaped."""
    return _Writer(defused.writer(file, **fmtparams))


class SafeDictWriter(defused.DictWriter):
    """Like csv.DictWriter, with every cell escaped."""

    def __init__(self, file: Any, fieldnames: Any, **kwargs: Any) -> None:
        super().__init__(file, fieldnames, **kwargs)
        inner: Any = vars(self)["writer"]  # defusedcsv's escaping writer (set in its __init__)
        self.writer = _Writer(inner)
