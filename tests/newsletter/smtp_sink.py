"""A real SMTP server on loopback (aiosmtpd) that records every message it accepts:
recipient, Message-ID and the connection it came on, so tests and the benchmark can
count duplicates, missing messages and SMTP connections."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from tests.loopback import free_port


class RecordingHandler:
    def __init__(self, delay: float = 0.0, keep_messages: bool = False):
        self.delay = delay
        self.keep_messages = keep_messages
        self.lock = threading.Lock()
        self.received: list[tuple[str, str]] = []  # (recipient, message id)
        self.messages: list = []
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        content = envelope.original_content or envelope.content
        message_id = ""
        for line in content.split(b"\r\n"):
            if not line:
                break
            if line[:11].lower() == b"message-id:":
                message_id = line[11:].strip().decode()
                break
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient.lower(), message_id))
            if self.keep_messages:
                self.messages.append(message_from_bytes(content, policy=policy.default))
        return "250 Message accepted"

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(recipient for recipient, _id in self.received)


class SmtpSink:
    def __init__(self, delay: float = 0.0, keep_messages: bool = False):
        self.handler = RecordingHandler(delay=delay, keep_messages=keep_messages)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def received(self):
        return self.handler.received


class FileRecordingHandler(RecordingHandler):
    """Writes one line per accepted message (and per connection) to a file, so a sink in
    its own process can be read by another (the benchmark)."""

    def __init__(self, path: str):
        super().__init__()
        self.out = open(path, "a", buffering=1)  # noqa: SIM115 - lives as long as the sink

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.out.write("EHLO\n")
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        message_id = ""
        for line in content.split(b"\r\n"):
            if not line:
                break
            if line[:11].lower() == b"message-id:":
                message_id = line[11:].strip().decode()
                break
        for recipient in envelope.rcpt_tos:
            self.out.write(f"MSG {recipient.lower()} {message_id}\n")
        return "250 Message accepted"


def main() -> None:
    import argparse
    import signal

    parser = argparse.ArgumentParser(description="SMTP sink recording to a file")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    controller = Controller(FileRecordingHandler(args.out), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
