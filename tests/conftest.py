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


@pytest.fixture
def bad_checkpoints(tmp_path) -> dict:
    "Two broken checkpoints in `tmp_path` (no config; tensors that do not fit it), each with what is wrong with it."
    import torch
    from safetensors.torch import save_file
    from colorful_world.config import preset
    from colorful_world.model import CKPT_FORMAT, build_generator, save_checkpoint
    save_file({'G.w': torch.zeros(1)}, tmp_path / 'no_config.safetensors', metadata=dict(format=CKPT_FORMAT))
    cfg = lambda ngf: preset('cpu_demo', space='rgb', image_size=64, n_down=6, ngf=ngf)
    save_checkpoint(tmp_path / 'wrong shapes.safetensors', cfg(8), build_generator(cfg(16)))
    return {tmp_path / 'no_config.safetensors': "no 'config'", tmp_path / 'wrong shapes.safetensors': 'do not fit'}
