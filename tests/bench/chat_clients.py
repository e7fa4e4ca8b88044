"""One client process of the chat benchmark (run by bench_chat.py, not by hand).

Reads a JSON job on stdin, opens its sockets, prints READY, waits for "GO <epoch>",
sends stamped messages on schedule, records every delivery, prints one JSON summary.

A portal client behaves like chat.js: it tracks the last sequence number it saw and,
on a gap, asks the server for what it missed ("resume"). What arrives that way is
counted as recovered, with its latency measured at arrival like any other delivery.

Protocols: "portal" (the portal's chat frames) and "raw" (the text is the message:
the baselines broadcast what they receive).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time

import websockets

STAMP = re.compile(r"t=(\d+) k=(\d+) n=(\d+)")


class Client:
    def __init__(self, index, job):
        self.index = index
        self.job = job
        self.socket = None
        self.seen: set[tuple[int, int]] = set()
        self.duplicates = 0
        self.latencies: list[float] = []
        self.acks = 0
        self.errors = 0
        self.last_seq = 0
        self.newest_seq = 0  # the newest number announced, shown or not
        self.recovered = 0
        self.resumes = 0
        self.resume_in_flight = False

    async def connect(self, url, cookie):
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        self.socket = await websockets.connect(
            url,
            origin=self.job["origin"],
            additional_headers=headers,
            open_timeout=60,
            max_queue=None,
            ping_interval=None,
        )
        if self.job["protocol"] == "portal":
            hello = json.loads(await self.socket.recv())
            if hello["type"] != "hello":
                raise RuntimeError(f"the first frame must be hello, got {hello['type']}")
            self.last_seq = hello["last_seq"]

    async def resume(self):
        if self.resume_in_flight:
            return
        self.resume_in_flight = True
        self.resumes += 1
        await self.socket.send(json.dumps({"type": "resume", "after": self.last_seq}))

    async def on_message(self, message, now, recovered=False):
        seq = message["seq"]
        self.newest_seq = max(self.newest_seq, seq)
        if seq <= self.last_seq:
            return  # already shown (a relay frame overtaken by a resume batch)
        if seq > self.last_seq + 1 and not recovered:
            await self.resume()
            return  # the resume batch brings it, in order
        self.last_seq = seq
        if self.record(message["html"], now) and recovered:
            self.recovered += 1

    def record(self, text, now) -> bool:
        match = STAMP.search(text)
        if not match:
            return False
        key = (int(match.group(2)), int(match.group(3)))
        if key in self.seen:
            self.duplicates += 1
            return False
        self.seen.add(key)
        self.latencies.append((now - int(match.group(1)) / 1e9) * 1000)
        return True

    async def listen(self, stop_at):
        portal = self.job["protocol"] == "portal"
        final_resume_sent = False
        while True:
            remaining = stop_at - time.time()
            if remaining <= 0:
                if not portal or final_resume_sent:
                    return
                # The last messages of the run have no successor to reveal a gap: ask
                # once more, as the browser does on its next message or reconnect.
                final_resume_sent = True
                self.resume_in_flight = False
                await self.resume()
                stop_at = time.time() + 5
                continue
            try:
                raw = await asyncio.wait_for(self.socket.recv(), remaining)
            except TimeoutError:
                continue
            except websockets.WebSocketException:
                return
            now = time.time()
            if portal:
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "message":
                    await self.on_message(frame, now)
                elif kind == "history":
                    self.resume_in_flight = False
                    for message in frame["messages"]:
                        await self.on_message(message, now, recovered=True)
                    if not frame["complete"] or self.newest_seq > self.last_seq:
                        await self.resume()
                elif kind == "ack":
                    self.acks += 1
                elif kind == "error":
                    self.errors += 1
            else:
                self.record(raw, now)

    async def send_loop(self, sender_number, interval, start, until):
        portal = self.job["protocol"] == "portal"
        sent = 0
        next_at = start + (sender_number * interval / max(1, self.job["senders"]))
        while next_at < until:
            delay = next_at - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            stamp = f"t={time.time_ns()} k={sender_number} n={sent}"
            if portal:
                client_id = f"{self.job['run']}x{sender_number}x{sent:07d}"
                frame = {"type": "message", "client_id": client_id, "body": stamp}
                text = json.dumps(frame)
            elif self.job["protocol"] == "tutorial":
                text = json.dumps({"message": stamp})
            else:
                text = stamp
            try:
                await self.socket.send(text)
            except websockets.WebSocketException:
                break
            sent += 1
            next_at += interval
        return sent


async def main():
    job = json.loads(sys.stdin.readline())
    clients = [Client(i, job) for i in range(len(job["sockets"]))]
    gate = asyncio.Semaphore(16)  # a crowd arriving, not a stampede on one socket

    async def connect(client, url, cookie):
        for attempt in range(10):
            async with gate:
                try:
                    await client.connect(url, cookie)
                    return
                except (TimeoutError, OSError, websockets.WebSocketException):
                    pass
            await asyncio.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"could not connect to {url}")

    await asyncio.gather(
        *(
            connect(client, url, cookie)
            for client, (url, cookie) in zip(clients, job["sockets"], strict=True)
        )
    )
    print("READY", flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    start = float(line.split()[1])
    until = start + job["seconds"]
    stop_at = until + job["drain"]
    senders = job["sender_numbers"]  # {client index: global sender number}
    interval = job["sender_interval"]
    listeners = [asyncio.create_task(client.listen(stop_at)) for client in clients]
    sends = await asyncio.gather(
        *(
            clients[int(index)].send_loop(number, interval, start, until)
            for index, number in senders.items()
        )
    )
    await asyncio.gather(*listeners)
    for client in clients:
        await client.socket.close()
    latencies = [round(value, 2) for client in clients for value in client.latencies]
    print(
        json.dumps(
            {
                "sent": sum(sends),
                "received_unique": sum(len(client.seen) for client in clients),
                "duplicates": sum(client.duplicates for client in clients),
                "recovered": sum(client.recovered for client in clients),
                "resumes": sum(client.resumes for client in clients),
                "acks": sum(client.acks for client in clients),
                "errors": sum(client.errors for client in clients),
                "latencies": latencies,
                "clients": len(clients),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    asyncio.run(main())
