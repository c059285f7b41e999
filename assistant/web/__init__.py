"""The Gradio web chat: `build_app(assistant, conversations_dir)` lays it out, `launch` serves it.

Importing this package imports `assistant` first, which switches analytics
and telemetry off before gradio is loaded."""

from .app import build_app, launch

__all__ = ["build_app", "launch"]
