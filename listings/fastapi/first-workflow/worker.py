"""Runs this project's step handlers in a Tasker worker until Ctrl-C or SIGTERM."""

import signal
import threading

from tasker_core import Worker

stop = threading.Event()
for signum in (signal.SIGINT, signal.SIGTERM):
    signal.signal(signum, lambda *_: stop.set())

# The worker registers the templates under TASKER_TEMPLATE_PATH, imports the handlers
# they name, and runs their steps until it is stopped.
with Worker.start():
    print("worker running: Ctrl-C stops it", flush=True)
    stop.wait()
