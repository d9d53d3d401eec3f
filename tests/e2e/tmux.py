"""A tmux pane driving the real program: what a user sees, keys a user types.

Each pane runs on its own tmux server socket, so tests never touch a user's sessions.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid

__all__ = ["TmuxPane", "have_tmux"]


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


class TmuxPane:
    def __init__(self, command: str, *, cwd: str | None = None, width: int = 120,
                 height: int = 40, env: dict[str, str] | None = None) -> None:
        self.socket = f"kiro-test-{uuid.uuid4().hex[:8]}"
        self.name = "t"
        envs = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        # Keep the pane open after the program exits so its last screen can be read.
        self._tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-s", self.name,
                   *(["-c", cwd] if cwd else []), f"{envs} {command}; sleep 600")

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True,
                              capture_output=True, text=True).stdout

    def capture(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def title(self) -> str:
        return self._tmux("display", "-p", "-t", self.name, "#{pane_title}").strip()

    def send(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def wait_for(self, predicate, timeout: float = 15.0, what: str = "") -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what or predicate}; screen:\n{screen}")

    def wait_text(self, text: str, timeout: float = 15.0) -> str:
        return self.wait_for(lambda s: text in s, timeout, repr(text))

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)

    def __enter__(self) -> "TmuxPane":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def editor_command(*args: str) -> str:
    import sys

    return " ".join(shlex.quote(a) for a in (sys.executable, "-m", "kiro_proto", *args))


os.environ.setdefault("TERM", "xterm-256color")
