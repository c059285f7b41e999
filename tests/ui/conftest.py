"""Fixtures for the web-chat tests: the real app (`python ui.py`) on a free
loopback port over a temporary copy of the knowledge folder, and headless
Chromium driven by Playwright. Nothing is mocked."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 300  # seconds: the first start loads the embedding model and builds the index

if str(ROOT) not in sys.path:  # the tests import the project's own modules too
    sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    config.addinivalue_line("markers", "ui: starts the web app (and a headless browser); slower")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, knowledge: Path, conversations: Path, log: Path):
        self.url, self.knowledge, self.conversations, self.log = url, knowledge, conversations, log

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def running_ui(base: Path, env_extra: dict | None = None, args: list[str] | None = None, source: Path | None = None):
    """`python ui.py` on a free port over a private copy of knowledge/ (or of `source`), stopped on exit."""
    knowledge = base / "knowledge"
    shutil.copytree(source or ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns(".index", ".conversations"))
    port = _free_port()
    log = base / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")} | (env_extra or {})
    cmd = [sys.executable, "ui.py", "--host", "127.0.0.1", "--port", str(port), "--knowledge-dir", str(knowledge),
           "--persist-dir", str(base / "index"), "--conversations-dir", str(base / "conversations"), *(args or [])]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}/", knowledge, base / "conversations", log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ui.py exited with {proc.returncode}:\n{server.log_tail()}")
            try:
                with urllib.request.urlopen(server.url + "config", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"ui.py did not answer within {START_TIMEOUT}s:\n{server.log_tail()}")
            time.sleep(0.5)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory):
    with running_ui(tmp_path_factory.mktemp("ui-app")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, ui_server):
    """A fresh browser profile per test (own localStorage), on the app's page, with JS errors collected."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda exc: pg.js_errors.append(str(exc)))
    App(pg, ui_server, ARTIFACTS).open()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# -- page helpers (a fixture, so tests need no import of this module) ------------
class App:
    """The app's page with the steps a person takes on it."""

    def __init__(self, pg, server: Server, shots: Path):
        self.page, self.server, self.shots = pg, server, shots

    def open(self):
        self.page.goto(self.server.url)
        self.page.wait_for_selector("#question textarea", timeout=60_000)
        # Usable once the saved conversation (if any) is restored: the panel leaves "Loading…".
        self.page.wait_for_selector("#sources .placeholder-empty, #sources .sources", timeout=60_000)

    def ask(self, question: str, number: int, timeout: float = 60_000):
        """Type a question, send it, and wait until answer `number` is final (its sources panel shows)."""
        self.page.fill("#question textarea", question)
        self.page.click("#ask-btn")
        self.page.wait_for_function(
            "n => { const h = document.querySelector('#sources .sources-head');"
            " return h && h.textContent.startsWith('Answer ' + n + ':'); }",
            arg=number, timeout=timeout,
        )
        return self.page.locator("#chat [data-testid=bot]").nth(number - 1)

    def tab(self, name: str):
        self.page.get_by_role("tab", name=name).click()
        first = {"Ask": "#question textarea", "Positions": "#matrix td[data-actor]", "Documents": "#doc-table tr[data-doc]"}
        self.page.wait_for_selector(first[name], timeout=30_000)

    def upload(self, *paths, timeout: float = 120_000, key: str | None = None) -> str:
        """Add documents through the Documents tab (with a write key when given); returns the status text."""
        self.tab("Documents")
        self.page.wait_for_selector("#upload input[type=file]", state="attached")
        self.page.set_input_files("#upload input[type=file]", [str(p) for p in paths])
        for p in paths:  # the file list shows each name once the upload reached the server
            self.page.wait_for_selector(f'#upload td.filename[aria-label="{Path(p).name}"]', timeout=30_000)
        if key is not None:
            self.page.fill("#write-key input", key)
        self.page.click("#add-doc")
        self.page.wait_for_selector("#add-status .status", timeout=timeout)
        return self.page.inner_text("#add-status")

    def screenshot(self, name: str, full_page: bool = False) -> Path:
        path = self.shots / name
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def pwned(self) -> str:
        return self.page.evaluate("typeof window.__pwned")


@pytest.fixture()
def app(page, ui_server, artifacts) -> App:
    return App(page, ui_server, artifacts)


# -- the app with a language model behind it ------------------------------------------
@pytest.fixture(scope="session")
def scripted_model():
    """An OpenAI-compatible endpoint on loopback whose answer a test scripts (`.reply`)."""
    from tests.llm_server import FakeLLM

    with FakeLLM(pause=1.5) as fake:
        yield fake


@pytest.fixture(scope="session")
def generative_server(tmp_path_factory, scripted_model):
    env = {"ASSISTANT_LLM_BASE_URL": scripted_model.base_url, "ASSISTANT_LLM_TIMEOUT": "20"}
    with running_ui(tmp_path_factory.mktemp("ui-generative"), env) as server:
        yield server


@pytest.fixture()
def gen_app(browser, generative_server, artifacts) -> App:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    app = App(context.new_page(), generative_server, artifacts)
    app.open()
    yield app
    context.close()
