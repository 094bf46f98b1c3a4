"""File formats of the admin import.

The admin's own CSV export separates its columns with commas; the public export
(/exemples/export.csv) with semicolons, as a spreadsheet set to French expects, and starts with a
byte order mark. The import reads both, and tab-separated files too.
"""

from import_export.formats.base_formats import CSV

BYTE_ORDER_MARK = "\ufeff"
DELIMITERS = (",", ";", "\t")


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text, found in its header line: column names never hold one, where
    values (a description, a list of partners) may hold any of them."""
    header = text.removeprefix(BYTE_ORDER_MARK).partition("\n")[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else DELIMITERS[0]


class SniffedCSV(CSV):
    """CSV whatever its delimiter, with or without a byte order mark."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        in_stream = in_stream.removeprefix(BYTE_ORDER_MARK)
        kwargs.setdefault("delimiter", sniff_delimiter(in_stream))
        return super().create_dataset(in_stream, **kwargs)
