"""The review page of a run (``cleaner report --format html``, ``cleaner clean --html``).

>>> from cleaner.html import PageWriter, write_page
"""

from cleaner.html.page import PageWriter, render_page, write_page

__all__ = ["PageWriter", "render_page", "write_page"]
