"""File formats of the admin's import and export.

The admin writes CSV as the public export (/exemples/export.csv) does: columns separated by
semicolons, as a spreadsheet set to French expects, after a byte order mark that makes it read
the file as UTF-8. It reads CSV whatever its delimiter (« ; », « , » or a tab), with or without
that mark, in UTF-8 or in Windows-1252, which French Excel's « CSV (séparateur : point-virgule) »
writes. Its XLSX export states the open data licence, in the workbook's description and on a
second sheet; the import reads the first sheet only.
"""

import io

import openpyxl  # type: ignore[import-untyped]  # no stubs among the locked dependencies
from import_export.formats.base_formats import CSV, XLSX

from .exports import CSV_DELIMITER, LICENCE_NAME, LICENCE_URL

BYTE_ORDER_MARK = "\ufeff"
DELIMITERS = (",", ";", "\t")
#: What a file that is not UTF-8 is taken to be: French Excel's encoding.
FALLBACK_ENCODING = "cp1252"
LICENCE_NOTICE = (
    f"Données publiées sous la {LICENCE_NAME} (Etalab)\u00a0: vous pouvez les réutiliser "
    "librement, y compris commercialement, en citant leur source («\u00a0Faire alliance — "
    "exemples inspirants\u00a0») et la date de leur dernière mise à jour."
)


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text, found in its header line: column names never hold one, where
    values (a description, a list of partners) may hold any of them."""
    header = text.removeprefix(BYTE_ORDER_MARK).partition("\n")[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else DELIMITERS[0]


def decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(FALLBACK_ENCODING)


class SniffedCSV(CSV):
    """CSV whatever its delimiter and its encoding; written with « ; » and a byte order mark."""

    def is_binary(self):
        # Read as bytes, so that create_dataset() finds the encoding: the admin would decode the
        # file as UTF-8 before, and refuse a file French Excel wrote.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decoded(in_stream)
        in_stream = in_stream.removeprefix(BYTE_ORDER_MARK)
        kwargs.setdefault("delimiter", sniff_delimiter(in_stream))
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", CSV_DELIMITER)
        return BYTE_ORDER_MARK + super().export_data(dataset, **kwargs)


class LicensedXLSX(XLSX):
    """XLSX whose examples sheet is followed by one stating the licence."""

    def export_data(self, dataset, **kwargs):
        workbook = openpyxl.load_workbook(io.BytesIO(super().export_data(dataset, **kwargs)))
        workbook.active.title = "Exemples"
        workbook.properties.description = LICENCE_NOTICE
        notice = workbook.create_sheet("Licence")
        notice.append([LICENCE_NOTICE])
        notice.append([LICENCE_NAME, LICENCE_URL])
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue()
