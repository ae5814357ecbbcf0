"""PDF rendering reads nothing outside the static and media roots and obeys no user markup."""

import http.server
import io
import threading
from pathlib import Path

import pypdf
import pytest

from portal import pdf

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _probe_template(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}
    ]


@pytest.fixture
def reads(monkeypatch):
    """Every local path the resource policy let xhtml2pdf read."""
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    allowed = []
    original = ResourceAccessPolicy.check_path

    def spy(self, path):
        original(self, path)
        allowed.append(Path(path).resolve())

    monkeypatch.setattr(ResourceAccessPolicy, "check_path", spy)
    return allowed


@pytest.fixture
def local_http():
    """A server on 127.0.0.1 that records every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red; }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def render(**context) -> str:
    base = {"title": "Probe", "user_text": "", "colour": "#000000", "colour_label": "x"}
    data = pdf.render_pdf("services/pdf_probe.html", {**base, **context})
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_link_callback_refuses_everything_outside_the_roots(settings, tmp_path):
    assert pdf.link_callback("file:///etc/passwd") == ""
    assert pdf.link_callback("/etc/passwd") == ""
    assert pdf.link_callback("http://127.0.0.1:8000/admin/") == ""
    assert pdf.link_callback("https://example.com/x.png") == ""
    assert pdf.link_callback(settings.STATIC_URL + "../../../etc/passwd") == ""
    assert pdf.link_callback(settings.STATIC_URL + "portal/../../../../etc/passwd") == ""
    assert pdf.link_callback(settings.MEDIA_URL + "../../etc/passwd") == ""
    font = pdf.link_callback(settings.STATIC_URL + "portal/fonts/DejaVuSans.ttf")
    assert font.endswith("DejaVuSans.ttf")
    assert Path(font).is_file()


def test_local_files_are_not_read(reads):
    secret = Path("/etc/passwd")
    text = render(
        urls=["file:///etc/passwd", "/etc/passwd", "../../../../etc/passwd"],
        links=["file:///etc/passwd"],
        css_payload='@import url("file:///etc/passwd"); '
        '@font-face { font-family: x; src: url("file:///etc/hostname"); }',
    )
    assert "root:" not in text
    if secret.exists():
        assert "root:" in secret.read_text()  # the probe would have shown it
    # The only files read were our own (the embedded fonts), all inside the allowed roots.
    roots = pdf.resource_policy().roots
    assert reads, "the fonts should have been read"
    for path in reads:
        assert any(path.is_relative_to(root) for root in roots), path
        assert path.name.startswith("DejaVuSans")


def test_no_url_is_fetched_not_even_loopback(local_http):
    base, hits = local_http
    text = render(
        urls=[f"{base}/image.png", "http://169.254.169.254/latest/meta-data/"],
        links=[f"{base}/style.css"],
        css_payload=f'@import url("{base}/imported.css");',
        user_text="still renders",
    )
    assert hits == []
    assert "still renders" in text


def test_the_embedded_fonts_still_load():
    text = render(user_text="Отчёт за март — Хлебный двор")
    assert "Отчёт за март — Хлебный двор" in text


def test_user_markup_is_printed_not_obeyed():
    text = render(user_text='<b>bold</b> <font color="red">red</font> <img src="x">')
    assert "<b>bold</b>" in text
    assert '<font color="red">red</font>' in text


@pytest.mark.parametrize(
    "payload",
    [
        # CVE-2023-33733: reportlab evaluated colour strings starting with [[[ ... ]]].
        "[[[getattr(pow, Word('__globals__'))['os'].system('touch {marker}') "
        "for Word in [ orgTypeFun( 'Word', (str,), {{ 'mutated': 1, "
        "'startswith': lambda self, x: 1 == 0, '__eq__': lambda self, x: self.mutate() "
        "and self.mutated < 0 and str(self) == x, 'mutate': lambda self: {{ "
        "setattr(self, 'mutated', self.mutated - 1) }}, '__hash__': lambda self: "
        "hash(str(self)), }}, ) ] ] for orgTypeFun in [type(type(1))] for none in "
        "[[].append(1)]]] and 'red'",
        "__import__('os').system('touch {marker}')",
    ],
)
def test_reportlab_colour_payload_is_not_evaluated(tmp_path, payload):
    marker = tmp_path / "exploited"
    payload = payload.format(marker=marker)
    text = render(user_text=payload, colour=payload, colour_label="coloured")
    assert not marker.exists()
    assert "coloured" in text
    assert "getattr(pow" in text or "__import__" in text  # shown as text


def test_policy_confines_reads_to_static_and_media(settings):
    policy = pdf.resource_policy()
    roots = {str(root) for root in policy.roots}
    assert str(Path(settings.MEDIA_ROOT).resolve()) in roots
    assert any(root.endswith("portal/static") for root in roots)
    assert policy.allow_remote is False
    assert str(Path.cwd().resolve()) not in roots  # the project directory holds .env, db


def test_requests_keep_the_server_render_limit_and_jobs_may_take_longer(settings):
    assert pdf.resource_policy().max_render_seconds == 60
    longer = pdf.resource_policy(settings.PDF_JOB_MAX_SECONDS)
    assert longer.max_render_seconds == settings.PDF_JOB_MAX_SECONDS > 60
    assert longer.allow_remote is False and longer.roots == pdf.resource_policy().roots
