"Data checks on the folders people really have: decompression bombs, broken files, GIFs, FIFOs, broken symlinks."
import os, struct, subprocess, warnings, zlib
import pytest
import torch
from PIL import Image
from colorful_world.data import get_dataloaders
from colorful_world.sources import demo_images
from colorful_world.core import open_image


def run(*args, cwd=None, timeout=120):
    "The `colorful-world` command; a hang fails the test through the timeout."
    return subprocess.run(['colorful-world', *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def png_claiming(w, h):
    "A tiny PNG whose header claims `w`×`h` pixels: Pillow refuses it as a decompression bomb."
    chunk = lambda t, b: struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b))
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IEND', b'')


def photos(folder, n=4, side=96):
    "`n` small color photos (from the demo ones) in `folder`."
    folder.mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(demo_images()[:n]): open_image(p).resize((side, side)).save(folder / f'photo{i}.jpg')
    return sorted(folder.glob('photo*.jpg'))


def broken(folder):
    "Every kind of file that is no usable photo; their names."
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / 'good.jpg.tmp'
    Image.new('RGB', (64, 48), (200, 40, 40)).save(good, 'JPEG')
    (folder / 'truncated.jpg').write_bytes(good.read_bytes()[:300])
    good.unlink()
    (folder / 'empty.png').write_bytes(b'')
    (folder / 'text.png').write_text('not an image')
    (folder / 'bomb.png').write_bytes(png_claiming(30_000, 30_000))
    (folder / 'huge.png').write_bytes(png_claiming(10_000, 10_000))  # Pillow only warns; decoding would take GBs
    (folder / 'anim.gif').write_bytes(b'GIF89a')
    (folder / 'dangling.jpg').symlink_to(folder / 'nowhere.jpg')
    (folder / 'loop.jpg').symlink_to(folder / 'loop.jpg')
    os.mkfifo(folder / 'pipe.jpg')
    return ['truncated.jpg', 'empty.png', 'text.png', 'bomb.png', 'huge.png', 'anim.gif', 'dangling.jpg', 'loop.jpg', 'pipe.jpg']


def test_check_names_a_decompression_bomb(tmp_path):
    photos(tmp_path, 1)
    (tmp_path / 'bomb.png').write_bytes(png_claiming(30_000, 30_000))
    r = run('data', '--data', str(tmp_path), '--check')
    assert r.returncode == 0, r.stderr
    assert 'Traceback' not in r.stderr and 'DecompressionBombError' not in r.stderr
    assert '1 ok, 1 unreadable, 0 grayscale' in r.stdout
    assert f'unreadable: {tmp_path / "bomb.png"}: too many pixels, refused before decoding' in r.stdout


def test_loaders_skip_a_bomb_with_a_warning_naming_it(tmp_path):
    photos(tmp_path, 3)
    (tmp_path / 'bomb.png').write_bytes(png_claiming(30_000, 30_000))
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter('always')
        trn_dl, _ = get_dataloaders(tmp_path, size=32, bs=2, valid_pct=0, device='cpu')
        batches = list(trn_dl)
    assert sum(len(b[0]) for b in batches) == 4 and all(torch.isfinite(b[0]).all() for b in batches)
    assert any(str(tmp_path / 'bomb.png') in str(w.message) and 'too many pixels' in str(w.message) for w in ws)


def test_train_skips_a_bomb(tmp_path):
    photos(tmp_path / 'data', 4)
    (tmp_path / 'data' / 'bomb.png').write_bytes(png_claiming(30_000, 30_000))
    r = run('train', '--preset', 'cpu_demo', '--data', str(tmp_path / 'data'), '--out', str(tmp_path / 'run'), '--epochs', '1',
            '--image-size', '32', '--n-down', '5', '--ngf', '8', '--ndf', '8', '--batch-size', '2', '-q', timeout=600)
    assert r.returncode == 0, r.stderr
    assert 'Traceback' not in r.stderr and f'skipping {tmp_path / "data" / "bomb.png"}: too many pixels' in r.stderr
    assert (tmp_path / 'run' / 'models' / 'last.safetensors').exists()


def test_folder_of_only_broken_files_is_one_clear_error(tmp_path):
    names = broken(tmp_path)
    r = run('data', '--data', str(tmp_path), '--check', timeout=60)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stderr.strip().splitlines()[-1] == f'colorful-world: error: no usable photo in {tmp_path}'
    assert 'Traceback' not in r.stderr
    assert '0 ok, 5 unreadable, 0 grayscale' in r.stdout
    assert f'{tmp_path / "huge.png"}: too many pixels, refused before decoding' in r.stdout
    for n in names: assert str(tmp_path / n) in r.stdout + r.stderr, n  # a message per file


def test_training_on_only_broken_files_is_one_clear_error(tmp_path):
    broken(tmp_path / 'data')
    r = run('train', '--preset', 'cpu_demo', '--data', str(tmp_path / 'data'), '--out', str(tmp_path / 'run'), '--epochs', '1',
            '--image-size', '32', '--n-down', '5', '-q', timeout=120)
    assert r.returncode == 1
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith(f'colorful-world: error: no usable photo in {tmp_path / "data"} for training'), r.stderr
    assert 'Traceback' not in r.stderr


def test_odd_entries_are_reported_with_a_reason(tmp_path):
    photos(tmp_path, 2)
    broken(tmp_path)
    r = run('data', '--data', str(tmp_path), timeout=60)  # never opens the FIFO
    assert r.returncode == 0, r.stderr
    assert '7 photos' in r.stdout  # 2 photos and the 5 broken files; --check reads them
    for n, why in [('anim.gif', '256 colors'), ('dangling.jpg', 'dangling symlink'), ('loop.jpg', 'symlink loop'),
                   ('pipe.jpg', 'FIFO')]:
        assert f'skipping {tmp_path / n}: ' in r.stderr and why in r.stderr, n


def test_evolution_pictures_are_readable_photos_spread_over_the_held_out_ones(tmp_path):
    from colorful_world.training import evolution_photos, fixed_pictures, preset
    good = photos(tmp_path / 'good', 3)
    bad = [tmp_path / n for n in ('a.jpg', 'b.png')]
    bad[0].write_bytes(b'junk')
    bad[1].write_bytes(png_claiming(30_000, 30_000))
    cfg = preset('cpu_demo', image_size=32, n_down=5, n_evolution=2)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        # spread over the 5: b.png and good[1]; the unreadable b.png is replaced by the next readable photo
        assert evolution_photos(cfg, bad + good) == [good[1], good[0]]
        fixed = fixed_pictures(cfg, bad + good)
        assert fixed_pictures(cfg, bad) is None  # no readable photo: no evolution pictures, training goes on
    assert torch.equal(fixed, torch.cat([fixed_pictures(cfg, [f]) for f in (good[1], good[0])]))
