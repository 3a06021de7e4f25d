"""The PDF of a digest report: its HTML drawn by WeasyPrint, offline, in fonts that cover Kazakh and Russian.

- WeasyPrint needs the system's Pango and HarfBuzz (Debian: libpango-1.0-0, libpangoft2-1.0-0,
  libharfbuzz-subset0) and fonts (fonts-dejavu-core); `make pdf-deps` installs them and the Dockerfile
  has them. Without them importing WeasyPrint fails with an OSError deep inside cffi: this module imports
  it only when a PDF is asked for and turns that into `PdfUnavailable`, whose message names the missing
  piece and the packages, so the report's PDF step fails with that error recorded instead of taking the
  worker down (and the HTML, CSV and JSON of the report are unaffected).
- No network at render time: the URL fetcher refuses every scheme but `data:` and `file:`, and `file:`
  only under the directory of `base_url` (a local path), so a closed network cannot hang a worker and a
  report cannot be made to read other files. Stylesheets are inlined by the template or read from there.
- Fonts: PRINT_CSS puts DejaVu Sans first (Debian's fonts-dejavu-core; every letter of Kazakh Cyrillic,
  ә ғ қ ң ө ұ ү һ і, and of Russian), then Noto Sans; it is a user stylesheet, so the report's own
  styles override it. WeasyPrint embeds the subset of the font it used.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEBIAN_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core")

FONT_STACK = "'DejaVu Sans', 'Noto Sans', 'Liberation Sans', sans-serif"

PRINT_CSS = f"""
@page {{
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-right {{ content: counter(page) " / " counter(pages); font-family: {FONT_STACK}; font-size: 8pt; }}
}}
html {{ font-family: {FONT_STACK}; font-size: 10pt; line-height: 1.35; color: #000; }}
h1, h2, h3 {{ page-break-after: avoid; break-after: avoid; }}
svg, img {{ max-width: 100%; height: auto; }}
svg, figure, tr {{ page-break-inside: avoid; break-inside: avoid; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 0.5pt solid #666; padding: 2pt 4pt; vertical-align: top; text-align: left; }}
thead {{ display: table-header-group; }}
a {{ color: inherit; }}
"""


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs are missing: no PDF can be made on this machine."""


@functools.cache
def _weasyprint():
    """WeasyPrint and our fetcher class, imported on first use (the import loads Pango through cffi)."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except ImportError as error:
        raise PdfUnavailable(
            f"PDF reports need the WeasyPrint package ({error}); install the project's requirements.txt."
        ) from error
    except OSError as error:
        raise PdfUnavailable(
            "PDF reports need the Pango and HarfBuzz libraries that WeasyPrint loads "
            f"({error}); on Debian: apt-get install {' '.join(DEBIAN_PACKAGES)} (or run `make pdf-deps`)."
        ) from error

    class LocalOnlyFetcher(URLFetcher):
        """Serves data: URLs and files under one directory; refuses everything else at once."""

        def __init__(self, root: Path | None):
            super().__init__(timeout=5, allowed_protocols=("data", "file"), allow_redirects=False)
            self.root = root

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if self.root is None or not path.is_relative_to(self.root):
                    raise ValueError(f"Refused to read {url}: reports read files only under their base directory")
            elif scheme != "data":
                raise ValueError(f"Refused to fetch {url}: reports are rendered without the network")
            return super().fetch(url, headers)

    return weasyprint, LocalOnlyFetcher


def pdf_unavailable_reason() -> str | None:
    """Why no PDF can be made here (WeasyPrint or its libraries missing), or None when it can."""
    try:
        _weasyprint()
    except PdfUnavailable as error:
        return str(error)
    return None


def _root(base_url: str | None) -> Path | None:
    """The local directory that `base_url` names (a path or a file: URL), or None."""
    if not base_url:
        return None
    parts = urlsplit(base_url)
    if parts.scheme.lower() == "file":
        path = Path(unquote(parts.path))
    elif parts.scheme and len(parts.scheme) > 1:
        return None  # http(s) and the like: nothing on disk to read
    else:
        path = Path(base_url)
    path = path.resolve()
    if not base_url.endswith(("/", os.sep)) and not path.is_dir():
        path = path.parent
    return path


def pdf_from_html(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of `html` (A4, PRINT_CSS under the document's own styles), rendered without the network.

    Relative URLs resolve against `base_url` (a local directory or file); files outside it, and any
    http(s) URL, are refused (WeasyPrint logs a warning and leaves the resource out).
    Raises PdfUnavailable when WeasyPrint or its system libraries are missing.
    """
    weasyprint, fetcher_class = _weasyprint()
    root = _root(base_url)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher_class(root))
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=PRINT_CSS)])
