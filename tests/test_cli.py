"System tests of the installed `colorful-world` command."
import subprocess, sys
import numpy as np
from PIL import Image


def run(*args, cwd=None):
    return subprocess.run(['colorful-world', *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_data_preview_writes_a_real_grid(tmp_path):
    out = tmp_path / 'sub' / 'preview.png'
    r = run('data', '--preview', str(out), '--size', '64')
    assert r.returncode == 0, r.stderr
    assert f'wrote {out}' in r.stdout
    img = Image.open(out)
    # 9 demo photos, 6 per row -> 2 rows of (gray, color) pairs of 64 px tiles with 2 px padding
    assert img.size == (6 * 66 + 2, 4 * 66 + 2)
    a = np.asarray(img.convert('RGB'), dtype=int)
    gray_tile, color_tile = a[2:66, 2:66], a[68:132, 2:66]
    assert (gray_tile.max(-1) - gray_tile.min(-1)).max() == 0  # the input row is gray
    assert (color_tile.max(-1) - color_tile.min(-1)).mean() > 5  # the target row has color


def test_data_on_a_folder_reports_broken_and_gray_files(tmp_path):
    Image.new('RGB', (40, 30), (200, 40, 40)).save(tmp_path / 'red.png')
    Image.new('L', (40, 30), 90).save(tmp_path / 'gray.png')
    (tmp_path / 'broken.jpg').write_bytes(b'\xff\xd8\xff not really')
    r = run('data', '--data', str(tmp_path), '--check')
    assert r.returncode == 0, r.stderr
    assert '3 photos' in r.stdout and '1 ok, 1 unreadable, 1 grayscale' in r.stdout
    assert 'unreadable: ' in r.stdout and 'broken.jpg' in r.stdout and 'grayish: ' in r.stdout


def test_errors_are_one_line_not_a_traceback(tmp_path):
    r = run('data', '--data', str(tmp_path / 'missing'))
    assert r.returncode == 1
    assert r.stderr.strip() == f'colorful-world: error: {tmp_path / "missing"}: no such folder'
    assert 'Traceback' not in r.stderr


def test_help_lists_commands():
    r = run('--help')
    assert r.returncode == 0 and 'data' in r.stdout


def test_public_api_imports():
    code = ('from colorful_world.data import ColorizationDataset, get_dataloaders;'
            'from colorful_world.sources import demo_images, download_lfw;'
            'from colorful_world.core import open_image, image_to_tensor, rgb_to_lab;'
            'print(ColorizationDataset.__doc__)')
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert 'gray' in r.stdout


def test_train_rejects_nonsense_numbers_in_one_line(tmp_path):
    for bad in (['--epochs', '0'], ['--lambda-l1', '-1']):  # more cases in 90_cli, in-process (each start imports torch)
        r = run('train', '--out', str(tmp_path / 'run'), '-q', *bad)
        assert r.returncode == 1, (bad, r.stdout, r.stderr)
        assert r.stderr.startswith('colorful-world: error: ') and len(r.stderr.splitlines()) == 1, (bad, r.stderr)
        assert 'Traceback' not in r.stderr
    assert not (tmp_path / 'run').exists()  # nothing written


def test_gif_rebuilds_a_runs_color_evolution(tmp_path):
    frames = tmp_path / 'run' / 'results' / 'evolution'
    frames.mkdir(parents=True)
    for e, c in enumerate([(200, 40, 40), (40, 200, 40), (40, 40, 200)], 1):
        Image.new('RGB', (32, 16), c).save(frames / f'epoch_{e:04d}.png')
    r = run('gif', str(tmp_path / 'run'), '--duration', '50')
    gif = tmp_path / 'run' / 'results' / 'color_evolution.gif'
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f'wrote {gif} (3 frames)'
    img = Image.open(gif)
    assert img.n_frames == 3 and img.info['duration'] == 50
    r = run('gif', str(tmp_path / 'empty'))
    assert r.returncode == 1 and r.stderr.startswith('colorful-world: error: ') and 'Traceback' not in r.stderr
