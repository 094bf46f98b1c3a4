"""Keeping each process's directory index as current as PostgreSQL's version of the directory
(examples/directory_version.py), without a request ever waiting on a rebuild.

In the background (DIRECTORY_INDEX_IN_BACKGROUND, the default), one thread per process reads
the version every DIRECTORY_INDEX_POLL_SECONDS, or at once when a request finds the index out of
date, and swaps in a new index when the version changed. Meanwhile requests keep the index they
find; a page rendered from an out-of-date index is not stored in the page cache, which keys
pages by the newer version. Any write by anyone thus reaches every process of every app server
within the poll interval plus a rebuild.

Under gunicorn the master builds the index before forking (config/gunicorn.py), so a new worker
starts with it and its thread only catches up on later writes. Elsewhere (runserver, a shell),
the first request builds it; that is the only wait.

With the thread off, a request that finds the index out of date rebuilds it, in its own
transaction: the tests do, whose data other connections never see.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import connection

from config import page_cache

from . import directory_version
from .directory_index import DirectoryIndex

logger = logging.getLogger(__name__)
# Logged by the refresh thread after each rebuild: `make bench` reads how long they take, in
# time and in the thread's CPU (the rest is waiting on PostgreSQL or on request threads).
REBUILT = "Directory index rebuilt"
REBUILT_FORMAT = REBUILT + ": %s examples in %.3f s, %.3f s of CPU (read: %s)"


class IndexKeeper:
    def __init__(self) -> None:
        self.index: DirectoryIndex | None = None
        self._build_lock = threading.Lock()
        self._wake = threading.Event()
        self._thread_pid: int | None = None
        self._thread_lock = threading.Lock()

    def current(self) -> DirectoryIndex:
        """The index to serve this request from."""
        generation = page_cache.current_generation()
        index = self.index
        if index is not None and index.generation == generation:
            return index
        if index is None or not settings.DIRECTORY_INDEX_IN_BACKGROUND:
            index = self.rebuild(generation)
            self.start_thread()
            return index
        page_cache.served_out_of_date()
        self.start_thread()
        self._wake.set()
        return index

    def rebuild(self, generation: int) -> DirectoryIndex:
        """Build an index of this version unless another thread just did; one at a time."""
        with self._build_lock:
            index = self.index
            if index is None or index.generation != generation:
                index = self.index = DirectoryIndex.build(generation, previous=index)
            return index

    def warm(self) -> DirectoryIndex:
        """Build the index now, outside any request (a gunicorn master before it forks)."""
        try:
            return self.rebuild(directory_version.read())
        finally:
            connection.close()

    def start_thread(self) -> None:
        """Start this process's refresh thread, once per process (a fork has none)."""
        if not settings.DIRECTORY_INDEX_IN_BACKGROUND or self._thread_pid == os.getpid():
            return
        with self._thread_lock:
            if self._thread_pid == os.getpid():
                return
            thread = threading.Thread(target=self._follow, name="directory-index", daemon=True)
            thread.start()
            self._thread_pid = os.getpid()

    def _follow(self) -> None:
        try:
            # Until the setting is turned off (a test that is over).
            while settings.DIRECTORY_INDEX_IN_BACKGROUND:
                self._catch_up()
                self._wake.wait(settings.DIRECTORY_INDEX_POLL_SECONDS)
                self._wake.clear()
        finally:
            self._thread_pid = None

    def _catch_up(self) -> None:
        try:
            generation = directory_version.read()
            directory_version.follow(generation)
            if self.index is None or self.index.generation != generation:
                started, cpu_started = time.perf_counter(), time.thread_time()
                index = self.rebuild(generation)
                logger.info(
                    REBUILT_FORMAT,
                    index.size,
                    time.perf_counter() - started,
                    time.thread_time() - cpu_started,
                    ", ".join(index.read) or "facet values only",
                )
        except Exception:
            # Whatever failed (the database away, a bug), the next check tries again.
            logger.exception("Directory index not refreshed: keeping the previous one")
        finally:
            # Back to the pool between checks: the thread holds no connection while idle.
            connection.close()


keeper = IndexKeeper()
