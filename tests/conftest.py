import os
# One torch thread per process, set before torch loads (subprocesses inherit it): on a 2-core machine running other
# work, torch's default of a thread per core makes each thread wait for the busy core (tests ran 2-10× slower).
os.environ.setdefault('OMP_NUM_THREADS', '1')
import pytest
from pathlib import Path

# Debian's chromium (`apt-get install chromium`, as .ci/run does); Playwright cannot download a browser here.
# CHROMIUM_PATH points elsewhere, e.g. at the GitHub runner's Chrome.
CHROMIUM = os.environ.get('CHROMIUM_PATH', '/usr/bin/chromium')
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']


@pytest.fixture(scope='session')
def repo() -> Path:
    "The repository root."
    return Path(__file__).resolve().parents[1]
