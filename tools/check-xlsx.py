#!/usr/bin/env python3
"""Checks an .xlsx written by `zhibiao extract --format xlsx` cell by cell in LibreOffice.

Usage:
    zhibiao extract reports/ -o out.xlsx
    zhibiao extract reports/ --raw -o reference.csv      # the same rows, as plain CSV
    python3 tools/check-xlsx.py out.xlsx reference.csv

LibreOffice (`soffice`, Debian package libreoffice-calc-nogui) opens the workbook headless
and saves every sheet as CSV with text cells quoted and numbers not, so each cell's type
is visible. Every cell is compared with the reference row:
  - line, column, table: numbers, equal (table blank for a figure in prose);
  - value, value_max: numbers equal to the exact decimal at 15 significant digits when the
    value has at most 15 significant digits (and lies within 1e-300 .. 1e300), else text
    equal to the decimal exactly; empty value_max a blank cell;
  - every other column: text, equal exactly (so a leading = + - @ was not taken as a
    formula, 70% not as a percentage, 1/3 not as a date); an empty field a blank cell.
Each sheet must start with the header. Prints the counts and the first wrong cells;
exit status 0 when no cell is wrong, 1 otherwise, 77 when LibreOffice is not installed.
"""
import decimal
import glob
import itertools
import os
import shutil
import subprocess
import sys
import tempfile

# The columns come from the reference's header; these are the numeric ones.
INTEGER_COLUMNS = {"line", "column", "table"}   # table: blank in prose
DECIMAL_COLUMNS = {"value", "value_max"}
MAX_CELL = 32767
# LibreOffice's CSV export: comma, double quote, UTF-8 (76), from line 1, no cell formats,
# default language, QUOTE ALL TEXT CELLS, detect special numbers, full precision (not "as
# shown"), no formulas, keep spaces, every sheet (-1) into its own file.
EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,false,-1"

decimal.getcontext().prec = 400


def read_csv(text):
    """RFC 4180 records of (value, was_quoted) pairs; keeps quotedness, which is the cell type."""
    records, record, i, n = [], [], 0, len(text)
    while i < n:
        if text[i] == '"':
            i += 1
            parts = []
            while True:
                j = text.index('"', i)
                parts.append(text[i:j])
                if j + 1 < n and text[j + 1] == '"':
                    parts.append('"')
                    i = j + 2
                else:
                    i = j + 1
                    break
            record.append(("".join(parts), True))
        else:
            j = i
            while j < n and text[j] not in ',\r\n':
                j += 1
            record.append((text[i:j], False))
            i = j
        if i < n and text[i] == ',':
            i += 1
            if i == n or text[i] in '\r\n':
                record.append(("", False))
            continue
        if i < n and text[i] == '\r':
            i += 1
        if i < n and text[i] == '\n':
            i += 1
        records.append(record)
        record = []
    if record:
        records.append(record)
    return records


def records(path, encoding="utf-8"):
    """The records of a CSV file one at a time (memory stays flat): lines are joined while a
    quoted field is open (an odd count of quotes so far)."""
    with open(path, encoding=encoding, newline="") as f:
        pending = ""
        for line in f:
            pending += line
            if pending.count('"') % 2 == 0:
                yield from read_csv(pending)
                pending = ""
        if pending:
            yield from read_csv(pending)


def as_number(text):
    try:
        return decimal.Decimal(text)
    except decimal.InvalidOperation:
        return None


def round15(d):
    if d == 0:
        return decimal.Decimal(0)
    return decimal.Context(prec=15, rounding=decimal.ROUND_HALF_EVEN).plus(d)


def expected_number(text):
    """The exact decimal when the writer must make it a number, else None (text)."""
    d = as_number(text)
    if d is None:
        return None
    if d == 0:
        return d
    digits = len(d.normalize().as_tuple().digits)
    magnitude = d.adjusted()
    if digits <= 15 and -300 < magnitude < 300:
        return d
    return None


def check_cell(column, want, got, quoted):
    """None when right, else why not."""
    if (column in INTEGER_COLUMNS and want != "") or (column in DECIMAL_COLUMNS and want != "" and expected_number(want) is not None):
        if quoted:
            return "a number was written as text"
        d = as_number(got)
        if d is None:
            return "not a number"
        if round15(d) != round15(decimal.Decimal(want)):
            return "number differs"
        return None
    if want == "":
        return None if got == "" and not quoted else "should be blank"
    if not quoted:
        return "text became a number or a formula result"
    if len(want) > MAX_CELL:
        return None if got.endswith("…") and want.startswith(got[:-1]) else "cut text differs"
    return None if got == want else "text differs"


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    xlsx, reference = argv[1], argv[2]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("check-xlsx: LibreOffice (soffice) is not installed; skipped", file=sys.stderr)
        return 77
    want = records(reference, encoding="utf-8-sig")
    header = next(want, None)
    COLUMNS = [v for v, _ in header] if header else []
    if not {"file", "line", "column", "value", "value_max"} <= set(COLUMNS):
        print(f"check-xlsx: {reference}: not a zhibiao CSV (header)", file=sys.stderr)
        return 2
    cells = wrong = numbers = texts = blanks = rows = 0
    shown = 0

    def report(message):
        nonlocal shown
        if shown < 20:
            shown += 1
            print(message)

    with tempfile.TemporaryDirectory(prefix="check-xlsx-") as out:
        profile = "file://" + os.path.join(out, "profile")   # own profile: runs beside an open LibreOffice
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", EXPORT,
                        "--outdir", out, os.path.abspath(xlsx)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stem = os.path.splitext(os.path.basename(xlsx))[0]
        sheets = glob.glob(os.path.join(out, stem + "-indicators*.csv"))
        sheets.sort(key=lambda p: int(p.rsplit("-indicators", 1)[1][:-4].strip() or 1))

        def workbook_rows():
            for path in sheets:
                sheet = records(path)
                if [v for v, _ in next(sheet, [])] != COLUMNS:
                    report(f"  {os.path.basename(path)}: the sheet does not start with the header")
                    yield None
                yield from sheet

        for w, g in itertools.zip_longest(want, workbook_rows()):
            if w is None or g is None:
                wrong += len(COLUMNS)
                report(f"  row {rows + 1}: {'missing from the workbook' if g is None else 'not in the reference'}")
                rows += 1
                continue
            rows += 1
            g = g + [("", False)] * (len(COLUMNS) - len(g))
            for c, column in enumerate(COLUMNS):
                cells += 1
                value, quoted = g[c]
                if value == "" and not quoted:
                    blanks += 1
                elif quoted:
                    texts += 1
                else:
                    numbers += 1
                problem = check_cell(column, w[c][0], value, quoted)
                if problem:
                    wrong += 1
                    report(f"  row {rows} {column}: {problem}: expected {w[c][0]!r}, LibreOffice has {value!r}{' (text)' if quoted else ''}")
    print(f"check-xlsx: {len(sheets)} sheet(s), {rows} rows, {cells} cells checked "
          f"({numbers} numbers, {texts} text, {blanks} blank), {wrong} wrong")
    return 0 if wrong == 0 and sheets else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
