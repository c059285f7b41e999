#!/usr/bin/env python3
"""Web chat over the UN cybercrime-treaty sources.

    python ui.py [--host 127.0.0.1] [--port 7860] [--knowledge-dir knowledge]
                 [--persist-dir DIR] [--conversations-dir DIR] [--read-only]

Host and port also come from ASSISTANT_HOST / ASSISTANT_PORT; flags win. When
ASSISTANT_API_KEYS holds keys, adding a document needs a write key, as in the API.
"""

import os

# Before gradio is imported anywhere: no usage analytics leave this machine.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import assistant  # noqa: E402,F401  (sets the offline environment before gradio loads)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the grounded Q&A web chat.")
    parser.add_argument("--host", default=os.environ.get("ASSISTANT_HOST", "127.0.0.1"),
                        help="address to listen on (env ASSISTANT_HOST; default 127.0.0.1)")
    parser.add_argument("--port", default=os.environ.get("ASSISTANT_PORT", "7860"),
                        help="port to listen on (env ASSISTANT_PORT; default 7860)")
    parser.add_argument("--knowledge-dir", default=os.environ.get("ASSISTANT_KNOWLEDGE_DIR", "knowledge"),
                        help="knowledge folder (env ASSISTANT_KNOWLEDGE_DIR; default: knowledge)")
    parser.add_argument("--persist-dir", default=os.environ.get("ASSISTANT_PERSIST_DIR"),
                        help="index folder (env ASSISTANT_PERSIST_DIR; default: <knowledge-dir>/.index)")
    parser.add_argument("--read-only", action="store_true",
                        help="no adding of documents in the chat (the Documents tab only lists and shows them)")
    parser.add_argument("--conversations-dir", default=os.environ.get("ASSISTANT_CONVERSATIONS_DIR"),
                        help="where saved conversations go (default: <knowledge-dir>/.conversations)")
    args = parser.parse_args(argv)
    try:
        args.port = int(args.port)
        if not 0 < args.port < 65536:
            raise ValueError
    except ValueError:
        parser.error(f"port must be a number from 1 to 65535, got {args.port!r}")
    if args.conversations_dir is None:
        args.conversations_dir = str(Path(args.knowledge_dir) / ".conversations")
    return args


def _stage_lines():
    """One line per stage of a long index build, instead of a bar that a log file cannot show."""
    last = {"stage": None}

    def report(done: int, total: int, message: str):
        stage = message.split(" ", 1)[0]
        if stage != last["stage"]:
            last["stage"] = stage
            print(f"  {message} ({done}/{total})", flush=True)

    return report


def main(argv=None) -> int:
    args = parse_args(argv)
    from assistant import Assistant
    from assistant.errors import AssistantError
    from assistant.guard import Settings
    from assistant.web import build_app, launch

    try:
        access = Settings.from_env()  # the same keys as the HTTP API; an unknown value stops the start
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Loading the knowledge folder {args.knowledge_dir} (the first start builds the index)…", flush=True)
    try:
        helper = Assistant.load(knowledge_dir=args.knowledge_dir, persist_dir=args.persist_dir, progress=_stage_lines())
        for problem in helper.problems:
            print(f"  set aside: {problem['file']}: {problem['reason']}", flush=True)
        demo = build_app(helper, args.conversations_dir, access, args.read_only)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        launch(demo, args.host, args.port)
    except OSError as exc:  # e.g. the port is taken
        print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
