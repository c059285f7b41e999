"""`python ui.py` options: flags, environment, defaults, and refusing a bad port."""

import pytest

import ui


def test_defaults_serve_loopback_7860(monkeypatch):
    for name in ("ASSISTANT_HOST", "ASSISTANT_PORT", "ASSISTANT_CONVERSATIONS_DIR", "ASSISTANT_KNOWLEDGE_DIR",
                 "ASSISTANT_PERSIST_DIR"):
        monkeypatch.delenv(name, raising=False)
    args = ui.parse_args([])
    assert (args.host, args.port, args.knowledge_dir, args.persist_dir) == ("127.0.0.1", 7860, "knowledge", None)
    assert args.conversations_dir.endswith(".conversations")


def test_environment_then_flags(monkeypatch):
    monkeypatch.setenv("ASSISTANT_HOST", "0.0.0.0")
    monkeypatch.setenv("ASSISTANT_PORT", "8123")
    # (the same knowledge and index variables as the assistant command's)
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", "/srv/knowledge")
    monkeypatch.setenv("ASSISTANT_PERSIST_DIR", "/srv/index")
    assert (ui.parse_args([]).host, ui.parse_args([]).port) == ("0.0.0.0", 8123)
    assert (ui.parse_args([]).knowledge_dir, ui.parse_args([]).persist_dir) == ("/srv/knowledge", "/srv/index")
    args = ui.parse_args(["--host", "127.0.0.2", "--port", "9000", "--knowledge-dir", "k", "--persist-dir", "p"])
    assert (args.host, args.port, args.knowledge_dir, args.persist_dir) == ("127.0.0.2", 9000, "k", "p")


@pytest.mark.parametrize("port", ["http", "0", "70000"])
def test_bad_port_is_refused(monkeypatch, capsys, port):
    monkeypatch.setenv("ASSISTANT_PORT", port)
    with pytest.raises(SystemExit):
        ui.parse_args([])
    assert "port must be a number from 1 to 65535" in capsys.readouterr().err


def test_analytics_are_off_before_gradio_loads():
    import os

    assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
