"""The SMTP sink of bench/digest.py: an aiosmtpd server in a process of its own.

It accepts every message and counts it in shared memory: messages, the monotonic time of the
first and the last one accepted (CLOCK_MONOTONIC is system-wide on Linux, so the benchmark
compares it with its own clock), and recipients seen before (a digest sent twice). It parses
nothing but the envelope: a sink that parsed MIME would measure itself.
"""

import asyncio
import logging
import multiprocessing
import signal
import time


class Stats:
    """Shared between the benchmark and the sink process (written only by the sink)."""

    def __init__(self, context):
        self.count = context.RawValue("q", 0)
        self.duplicates = context.RawValue("q", 0)
        self.bytes = context.RawValue("q", 0)
        self.first = context.RawValue("d", 0.0)
        self.last = context.RawValue("d", 0.0)


class Handler:
    def __init__(self, stats):
        self.stats = stats
        self.seen = set()

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        stats = self.stats
        for rcpt in envelope.rcpt_tos:
            if rcpt in self.seen:
                stats.duplicates.value += 1
            self.seen.add(rcpt)
        stats.bytes.value += len(envelope.content)
        if not stats.count.value:
            stats.first.value = now
        stats.last.value = now
        stats.count.value += len(envelope.rcpt_tos)
        return "250 OK"


def serve(port, stats, ready):
    from aiosmtpd.smtp import SMTP

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the benchmark stops us (SIGTERM)
    loop = asyncio.new_event_loop()
    handler = Handler(stats)
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(handler, hostname="sink.bench", ident="bench sink"),
            host="127.0.0.1",
            port=port,
        )
    )
    ready.set()
    try:
        loop.run_forever()
    finally:
        server.close()


def start(port):
    """Start the sink on 127.0.0.1:port; returns (process, stats)."""
    context = multiprocessing.get_context("spawn")
    stats = Stats(context)
    ready = context.Event()
    process = context.Process(target=serve, args=(port, stats, ready), name="smtp-sink")
    process.start()
    if not ready.wait(30):
        process.terminate()
        raise RuntimeError("the SMTP sink did not start")
    return process, stats
