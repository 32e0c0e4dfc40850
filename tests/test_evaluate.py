"System tests of `colorful-world evaluate`, through the installed command."
import json, subprocess
import pytest

KEYS = {'psnr', 'ssim', 'delta_e', 'ab_error', 'colorfulness', 'colorfulness_ratio'}


def run(*args):
    return subprocess.run(['colorful-world', *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope='module')
def ckpt(tmp_path_factory):
    "A checkpoint of a one-epoch run of a tiny model (seconds on a CPU)."
    out = tmp_path_factory.mktemp('run')
    r = run('train', '--preset', 'cpu_demo', '--image-size', '64', '--n-down', '6', '--ngf', '8', '--ndf', '8',
            '--epochs', '1', '--repeat', '1', '--out', str(out), '-q')
    assert r.returncode == 0, r.stderr
    return out / 'models' / 'last.safetensors'


def test_evaluate_json_has_every_metric_for_every_method(ckpt):
    r = run('evaluate', '--model', str(ckpt), '--data', 'demo', '--image-size', '64', '--json')
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    for method in ('model', 'gray', 'mean_chroma'): assert set(res[method]) == KEYS, res[method]
    assert (res['n_images'], res['image_size']) == (9, 64)
    assert res['colorfulness_truth'] > 10
    assert res['gray']['colorfulness'] == 0 and res['gray']['colorfulness_ratio'] == 0
    assert res['mean_chroma']['colorfulness'] > 0


def test_evaluate_prints_a_table(ckpt):
    r = run('evaluate', '--model', str(ckpt), '--split', 'valid')
    assert r.returncode == 0, r.stderr
    rows = [l for l in r.stdout.splitlines() if l.startswith('| ')]
    assert [l.split('|')[1].strip() for l in rows] == ['method', 'model', 'gray', 'mean_chroma']
    assert '2 photos at 64x64' in r.stdout


@pytest.mark.parametrize('name', ['missing.safetensors', 'not_a_checkpoint.txt'])
def test_bad_model_is_a_one_line_error(tmp_path, name):
    path = tmp_path / name
    if name.endswith('.txt'): path.write_text('hello')
    r = run('evaluate', '--model', str(path), '--data', 'demo', '--image-size', '64', '--json')
    assert r.returncode == 1
    assert r.stdout == ''
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f'colorful-world: error: {path}'), r.stderr
    assert 'Traceback' not in r.stderr
