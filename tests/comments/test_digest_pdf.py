"""comments.digests.pdf: a sample report (heading, Kazakh and Russian text, a table, an inline heat map) drawn by
WeasyPrint, then read back with poppler: its first page as PNG is not blank, its fonts are DejaVu or Noto and
embedded, the Kazakh letters are real glyphs (not tofu), and rendering fetches nothing from the network.
Skipped, with the reason, where WeasyPrint's libraries or poppler-utils are missing (`make pdf-deps`)."""
from __future__ import annotations

import http.server
import logging
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from comments.digests.charts import heatmap_svg
from comments.digests.pdf import PdfUnavailable, pdf_from_html, pdf_unavailable_reason

Image = pytest.importorskip("PIL.Image", reason="Pillow (a WeasyPrint dependency) is needed to read the PNG pages")

REASON = pdf_unavailable_reason()
pytestmark = [
    pytest.mark.skipif(REASON is not None, reason=f"no PDF here: {REASON}"),
    pytest.mark.skipif(
        not (shutil.which("pdftoppm") and shutil.which("pdffonts") and shutil.which("pdftotext")),
        reason="poppler-utils (pdftoppm, pdffonts, pdftotext) not installed: `make pdf-deps` or apt-get install poppler-utils",
    ),
]

KAZAKH = "Қазақстан Республикасы — әділ, ғылыми, қоғамдық өңір: ұлт үміті, һәм іс."
RUSSIAN = "Республика Казахстан: съезд, щедрость, объём и ёлка."
KAZAKH_LETTERS = "әғқңөұүһі"


def sample_report() -> str:
    tree = [
        {"label": "Преамбула", "count": 3, "children": []},
        {"label": "І бөлім", "count": 21, "children": [{"label": f"{n}-бап", "count": n % 6} for n in range(1, 13)]},
        {"label": "Раздел II", "count": 52, "children": [{"label": f"Ст. {n}", "count": 52 // 4} for n in range(13, 17)]},
    ]
    return textwrap.dedent(f"""\
        <!doctype html>
        <html lang="kk"><head><meta charset="utf-8"><title>Есеп</title>
        <style>h1 {{ font-size: 18pt; }}</style></head>
        <body>
          <h1>Нұсқа туралы есеп / Отчёт о версии</h1>
          <p>{KAZAKH}</p>
          <p>{RUSSIAN}</p>
          <table><thead><tr><th>Ереже</th><th>Пікірлер</th><th>Шешім</th></tr></thead>
            <tbody><tr><td>II/25/1</td><td>40</td><td>Ескерілді — учтено</td></tr>
                   <tr><td>II/26</td><td>17</td><td>Қабылданбады — отклонено</td></tr></tbody></table>
          {heatmap_svg(tree, title="Пікірлер ережелер бойынша")}
        </body></html>""")


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def first_page_png(pdf: Path, out: Path, *, dpi: int = 60) -> Path:
    run("pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(out))
    return out.with_suffix(".png")


def dark_share(png: Path) -> float:
    """The share of pixels darker than light grey."""
    grey = Image.open(png).convert("L")
    histogram = grey.histogram()
    return sum(histogram[:200]) / (grey.width * grey.height)


@pytest.fixture
def sample_pdf(tmp_path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_from_html(sample_report()))
    return path


def test_first_page_is_drawn_with_the_text_the_table_and_the_heat_map(sample_pdf, tmp_path):
    assert sample_pdf.read_bytes().startswith(b"%PDF-")
    share = dark_share(first_page_png(sample_pdf, tmp_path / "page"))
    assert 0.01 < share < 0.5, share  # text, table rules and grey cells on white: neither blank nor a black page
    text = run("pdftotext", "-f", "1", "-l", "1", str(sample_pdf), "-")
    squashed = " ".join(text.split())
    assert KAZAKH in squashed and RUSSIAN in squashed
    assert "Қабылданбады" in text and "Пікірлер ережелер бойынша" in text and "Ст. 13" in text
    assert "Total: 52" in text


def test_fonts_are_dejavu_or_noto_and_embedded(sample_pdf):
    rows = run("pdffonts", str(sample_pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        name, *_rest = row.split()
        assert "DejaVu" in name or "Noto" in name, row  # nothing fell back to another font
        assert row.split()[-5] == "yes", row  # emb


def drawn_as_box(glyph) -> bool:
    """Whether a glyph's ink is a hollow rectangle, the box ("tofu") a font draws for a letter it does not have."""
    ink = glyph.point(lambda value: 255 - value)  # ink white on black for getbbox
    box = ink.getbbox()
    if box is None:
        return True  # nothing drawn is as bad
    ink = ink.crop(box)
    width, height = ink.size
    pixels = ink.load()

    def full(points) -> bool:
        points = list(points)
        return sum(1 for x, y in points if pixels[x, y] > 16) >= 0.9 * len(points)

    return (
        full((x, 0) for x in range(width)) and full((x, height - 1) for x in range(width))
        and full((0, y) for y in range(height)) and full((width - 1, y) for y in range(height))
    )


def letters_png(letters: str, tmp_path: Path) -> list:
    cells = "".join(f'<span class="c">{letter}</span>' for letter in letters)
    html = (
        "<html><head><style>@page { size: 140mm 40mm; margin: 0 } body { margin: 0 }"
        " .c { display: inline-block; width: 12mm; height: 20mm; font-size: 36pt; line-height: 20mm; text-align: center }"
        f"</style></head><body>{cells}</body></html>"
    )
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(pdf_from_html(html))
    page = Image.open(first_page_png(pdf, tmp_path / "letters", dpi=100)).convert("L")
    cell = page.width * 12 / 140
    return [page.crop((round(i * cell), 0, round((i + 1) * cell), page.height // 2)) for i in range(len(letters))]


def test_kazakh_letters_are_real_glyphs_not_tofu(tmp_path, caplog):
    """Each Kazakh letter drawn alone, large: none is the empty box of a missing glyph, and WeasyPrint warns of no
    missing glyph. Both checks do catch one: letters of the private use area, which no font here has."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    assert [drawn_as_box(glyph) for glyph in letters_png(KAZAKH_LETTERS, tmp_path)] == [False] * len(KAZAKH_LETTERS)
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]
    assert all(drawn_as_box(glyph) for glyph in letters_png("\ue000\ue001\U0010fffd", tmp_path))
    assert len([r for r in caplog.records if "notdef" in r.getMessage()]) == 3


class CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        CountingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { background: #000 }")

    def log_message(self, *args):
        pass


def test_rendering_fetches_nothing_over_http(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        CountingHandler.requests = []
        url = f"http://127.0.0.1:{server.server_port}"
        html = (
            f'<html><head><link rel="stylesheet" href="{url}/style.css"></head>'
            f'<body><h1>Есеп</h1><img src="{url}/chart.png" alt="chart"><img src="/logo.png" alt="logo"></body></html>'
        )
        started = time.monotonic()
        pdf = tmp_path / "offline.pdf"
        pdf.write_bytes(pdf_from_html(html, base_url=f"{url}/reports/"))
        assert time.monotonic() - started < 10
        assert CountingHandler.requests == []
        assert dark_share(first_page_png(pdf, tmp_path / "offline")) < 0.05  # the black stylesheet was not applied
    finally:
        server.shutdown()
        server.server_close()


def test_files_are_read_only_under_the_base_directory(tmp_path):
    assets, elsewhere = tmp_path / "assets", tmp_path / "elsewhere"
    assets.mkdir()
    elsewhere.mkdir()
    for folder in (assets, elsewhere):
        (folder / "dark.css").write_text("html, body { background: #000 }")
    html = '<html><head><link rel="stylesheet" href="{href}"></head><body><p>x</p></body></html>'

    inside = tmp_path / "inside.pdf"
    inside.write_bytes(pdf_from_html(html.format(href="dark.css"), base_url=str(assets)))
    assert dark_share(first_page_png(inside, tmp_path / "inside")) > 0.5

    outside = tmp_path / "outside.pdf"
    outside.write_bytes(pdf_from_html(html.format(href=(elsewhere / "dark.css").as_uri()), base_url=str(assets)))
    assert dark_share(first_page_png(outside, tmp_path / "outside")) < 0.05
    escaping = tmp_path / "escaping.pdf"
    escaping.write_bytes(pdf_from_html(html.format(href="../elsewhere/dark.css"), base_url=str(assets) + "/"))
    assert dark_share(first_page_png(escaping, tmp_path / "escaping")) < 0.05
    no_base = tmp_path / "no-base.pdf"
    no_base.write_bytes(pdf_from_html(html.format(href=(assets / "dark.css").as_uri())))
    assert dark_share(first_page_png(no_base, tmp_path / "no-base")) < 0.05


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ("raise OSError(\"cannot load library 'libpango-1.0-0': No such file\")", "apt-get install libpango-1.0-0"),
        ("raise ImportError('No module named weasyprint')", "install the project's requirements.txt"),
    ],
)
def test_missing_libraries_raise_a_clear_error_instead_of_crashing(tmp_path, failure, expected):
    """In a fresh interpreter whose `weasyprint` cannot load, as on a machine without Pango (this one has it)."""
    fake = tmp_path / "weasyprint"
    fake.mkdir()
    (fake / "__init__.py").write_text(failure + "\n")
    code = textwrap.dedent("""\
        from comments.digests.pdf import PdfUnavailable, pdf_from_html, pdf_unavailable_reason
        print(pdf_unavailable_reason())
        try:
            pdf_from_html("<p>x</p>")
        except PdfUnavailable as error:
            print("raised", type(error).__name__)
        """)
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env={"PYTHONPATH": f"{tmp_path}:{root}", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    assert expected in out and "PDF reports need" in out
    assert out.strip().endswith("raised PdfUnavailable")
    assert issubclass(PdfUnavailable, RuntimeError)
