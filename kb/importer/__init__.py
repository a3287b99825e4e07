"""``make import``: Word (.docx) and PDF 公文 → documents of the knowledge base.

readers (:mod:`~kb.importer.docx_reader`, :mod:`~kb.importer.pdf_reader`) → :class:`~kb.importer.blocks.Block`
list → :mod:`~kb.importer.layout` (the parts of a 公文) → :mod:`~kb.importer.infer` (what no file says, from
data/import.yml and docs/) → :mod:`~kb.importer.markdown` (the body) → :mod:`~kb.importer.run` (writing, report).
Nothing here imports MkDocs.
"""

from kb.importer.blocks import Refused
from kb.importer.run import Report, format_report, import_file, import_paths

__all__ = ["Refused", "Report", "format_report", "import_file", "import_paths"]
