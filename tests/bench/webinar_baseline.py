"""The baseline of the registration-rush benchmark: the least a correct registration can
do. One transaction per request: one conditional UPDATE on a seat counter (`taken <
capacity`) and one INSERT of the registration (unique per user), nothing else: no
framework, no session, no CSRF, no email. Served by the same server (daphne) on the same
database as the portal in the same run, so the ratio measures what the portal adds.

POST /register/<seat_row>/<user_id>/ → 200 "confirmed" or "waitlisted" (409 if the user
is already in). Configured by BASELINE_DATABASE: a SQLite path or a postgres:// URL.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading

DATABASE = os.environ.get("BASELINE_DATABASE", "")
_local = threading.local()

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS bench_seats ("
    " id INTEGER PRIMARY KEY, capacity INTEGER NOT NULL, taken INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS bench_registration ("
    " seats_id INTEGER NOT NULL, user_id INTEGER NOT NULL, status VARCHAR(16) NOT NULL,"
    " PRIMARY KEY (seats_id, user_id))",
]


def _is_postgres() -> bool:
    return DATABASE.startswith("postgres")


def _sql(text: str) -> str:
    """Statements are written with SQLite's ? placeholders; psycopg wants %s."""
    return text.replace("?", "%s") if _is_postgres() else text


def connect():
    if _is_postgres():
        import psycopg

        return psycopg.connect(DATABASE)
    # The portal's SQLite settings: WAL, IMMEDIATE write transactions, a busy timeout.
    connection = sqlite3.connect(DATABASE, timeout=20, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA busy_timeout=20000")
    return connection


def _connection():
    if getattr(_local, "connection", None) is None:
        _local.connection = connect()
    return _local.connection


def setup(rows: list[tuple[int, int]]) -> None:
    """(Re)create the counters: [(id, capacity)], with no registration."""
    connection = connect()
    try:
        cursor = connection.cursor()
        for statement in SCHEMA:
            cursor.execute(statement)
        cursor.execute("DELETE FROM bench_registration")
        cursor.execute("DELETE FROM bench_seats")
        for row_id, capacity in rows:
            cursor.execute(
                _sql("INSERT INTO bench_seats (id, capacity, taken) VALUES (?, ?, 0)"),
                (row_id, capacity),
            )
        connection.commit()
    finally:
        connection.close()


def counts(row_id: int) -> dict[str, int]:
    connection = connect()
    try:
        cursor = connection.cursor()
        cursor.execute(
            _sql(
                "SELECT status, COUNT(*) FROM bench_registration WHERE seats_id = ? GROUP BY status"
            ),
            (row_id,),
        )
        result = dict(cursor.fetchall())
        cursor.execute(_sql("SELECT taken FROM bench_seats WHERE id = ?"), (row_id,))
        result["taken"] = cursor.fetchone()[0]
        return result
    finally:
        connection.close()


def register(row_id: int, user_id: int) -> tuple[int, bytes]:
    connection = _connection()
    cursor = connection.cursor()
    try:
        if not _is_postgres():
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(
            _sql("UPDATE bench_seats SET taken = taken + 1 WHERE id = ? AND taken < capacity"),
            (row_id,),
        )
        status = "confirmed" if cursor.rowcount == 1 else "waitlisted"
        cursor.execute(
            _sql("INSERT INTO bench_registration (seats_id, user_id, status) VALUES (?, ?, ?)"),
            (row_id, user_id, status),
        )
        connection.commit() if _is_postgres() else cursor.execute("COMMIT")
    except Exception as error:  # a duplicate: nothing changes (the seat goes back)
        connection.rollback() if _is_postgres() else cursor.execute("ROLLBACK")
        unique = "UNIQUE" in str(error).upper() or "duplicate" in str(error)
        return (409, b"already registered") if unique else (500, str(error).encode())
    return 200, status.encode()


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    while True:  # drain the body
        message = await receive()
        if not message.get("more_body"):
            break
    parts = scope["path"].strip("/").split("/")
    if scope["method"] == "POST" and len(parts) == 3 and parts[0] == "register":
        status, body = await asyncio.to_thread(register, int(parts[1]), int(parts[2]))
    else:
        status, body = 404, b"not found"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body))],
        }
    )
    await send({"type": "http.response.body", "body": body})


def wsgi_application(environ, start_response):
    """The same baseline for WSGI servers (gunicorn): one request at a time per worker."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    parts = environ.get("PATH_INFO", "").strip("/").split("/")
    if environ["REQUEST_METHOD"] == "POST" and len(parts) == 3 and parts[0] == "register":
        status, body = register(int(parts[1]), int(parts[2]))
    else:
        status, body = 404, b"not found"
    reason = {200: "OK", 404: "Not Found", 409: "Conflict", 500: "Internal Server Error"}
    start_response(
        f"{status} {reason[status]}",
        [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
    )
    return [body]
