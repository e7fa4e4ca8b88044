"""Real chat servers for multi-process and fault tests: daphne workers in their own
processes, on the suite's PostgreSQL database and a Redis of their own or the machine's."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import websockets

from tests.loopback import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


class RedisServer:
    """A private redis-server, so a test may kill and restart it."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",  # noqa: S607
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class ChatWorker:
    """One daphne process serving the portal (pages and sockets)."""

    def __init__(self, database_url: str, redis_url: str, secret_key: str, port: int | None = None):
        self.port = port or free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
        }
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-v",
                "0",
                "portal.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
        )
        wait_for_port(self.port)

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def ws_origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class ChatClient:
    """A participant's browser, reduced to its socket: resumes after the last seq seen,
    retries unacknowledged sends with the same client id, and records every delivery."""

    def __init__(self, session_key: str, room_id: int, name: str):
        self.session_key = session_key
        self.room_id = room_id
        self.name = name
        self.socket = None
        self.last_seq = 0
        self.seen: list[int] = []  # every new-message seq displayed, in display order
        self.early: dict[int, dict] = {}
        self.unacked: dict[str, dict] = {}

    async def connect(self, worker: ChatWorker, attempts: int = 50):
        for _attempt in range(attempts):
            try:
                self.socket = await websockets.connect(
                    f"ws://127.0.0.1:{worker.port}/ws/chat/{self.room_id}/",
                    origin=worker.ws_origin,
                    additional_headers={"Cookie": f"sessionid={self.session_key}"},
                    open_timeout=5,
                )
                hello = json.loads(await asyncio.wait_for(self.socket.recv(), 5))
                assert hello["type"] == "hello", hello
                await self.socket.send(json.dumps({"type": "resume", "after": self.last_seq}))
                for frame in list(self.unacked.values()):
                    await self.socket.send(json.dumps(frame))
                return
            except (TimeoutError, OSError, websockets.WebSocketException):
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{self.name} could not connect to {worker.port}")

    async def send(self, client_id: str, body: str):
        frame = {"type": "message", "client_id": client_id, "body": body}
        self.unacked[client_id] = frame
        with contextlib.suppress(websockets.WebSocketException):  # resent after reconnect
            await self.socket.send(json.dumps(frame))

    def _show(self, message: dict):
        if message["seq"] == self.last_seq + 1:
            self.seen.append(message["seq"])
            self.last_seq = message["seq"]
            while self.last_seq + 1 in self.early:
                self._show(self.early.pop(self.last_seq + 1))
        elif message["seq"] > self.last_seq + 1:
            self.early[message["seq"]] = message

    async def pump(self, seconds: float) -> bool:
        """Read frames for a while; False when the socket dropped."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                raw = await asyncio.wait_for(self.socket.recv(), remaining)
            except TimeoutError:
                return True
            except websockets.WebSocketException:
                return False
            frame = json.loads(raw)
            if frame["type"] == "message":
                self._show(frame)
                if self.early:
                    await self.socket.send(json.dumps({"type": "resume", "after": self.last_seq}))
            elif frame["type"] == "history":
                for message in frame["messages"]:
                    if message["seq"] > self.last_seq:
                        self.early[message["seq"]] = message
                while self.last_seq + 1 in self.early:
                    self._show(self.early.pop(self.last_seq + 1))
            elif frame["type"] == "ack":
                self.unacked.pop(frame["client_id"], None)
            elif frame["type"] == "error" and frame.get("code") == "rate_limited":
                await asyncio.sleep(1)
                retry = self.unacked.get(frame.get("client_id"))
                if retry:
                    await self.socket.send(json.dumps(retry))
        return True

    async def close(self):
        if self.socket is not None:
            await self.socket.close()
