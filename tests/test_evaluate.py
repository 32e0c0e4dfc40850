"System tests of `colorful-world evaluate`, through the installed command."
import json, os, subprocess
import pytest
from PIL import Image
from colorful_world.core import open_image
from colorful_world.sources import demo_images
from colorful_world.colorizer import model_path

KEYS = {'psnr', 'ssim', 'delta_e', 'ab_error', 'colorfulness', 'colorfulness_ratio', 'chroma', 'chroma_ratio',
        'neutral_delta_e'}


def run(*args, **env):
    "`colorful-world ARGS` with the packaged model as the default one (unless `env` names another)."
    env = {**{k: v for k, v in os.environ.items() if k != 'COLORFUL_WORLD_MODEL'}, **env}
    return subprocess.run(['colorful-world', *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    "A folder of three small color photos and one gray one."
    d = tmp_path_factory.mktemp('photos')
    for f in demo_images()[:3]: open_image(f).resize((200, 150)).save(d / f'{f.stem}.png')
    open_image(demo_images()[3]).convert('L').resize((200, 150)).save(d / 'gray.jpg')
    return d


def test_evaluate_json_without_model_uses_the_packaged_one():
    r = run('evaluate', '--data', 'demo', '--json')
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    for method in ('model', 'gray', 'mean_chroma'): assert set(res[method]) == KEYS, res[method]
    for base in ('gray', 'mean_chroma'):
        wins = res[f'win_rate_vs_{base}']
        assert set(wins) == {'psnr', 'delta_e'} and all(0 <= v <= 1 for v in wins.values()), wins
    assert (res['n_photos'], res['n_gray_truth_skipped'], res['mode']) == (9, 0, 'crop')
    assert res['chroma_truth'] > 5 and res['colorfulness_truth'] > 10
    assert res['gray']['colorfulness'] == 0 and res['gray']['chroma_ratio'] < 0.01
    assert res['mean_chroma']['chroma'] > 0
    named = run('evaluate', '--data', 'demo', '--json', '--model', str(model_path()))
    assert json.loads(named.stdout) == res


def test_no_model_means_the_environment_s_model(tmp_path):
    "Without `--model`, `$COLORFUL_WORLD_MODEL` is the model, as for `colorize` and `serve`."
    missing = tmp_path / 'elsewhere.safetensors'
    r = run('evaluate', '--json', COLORFUL_WORLD_MODEL=str(missing))
    assert r.returncode == 1 and r.stderr.startswith(f'colorful-world: error: {missing}'), r.stderr


@pytest.mark.parametrize('full_res', [False, True])
def test_gray_truths_are_left_out_and_counted(photos, full_res):
    r = run('evaluate', '--data', str(photos), '--json', *(['--full-res', '--max-side', '160'] if full_res else []))
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert (res['n_photos'], res['n_gray_truth_skipped']) == (3, 1)
    assert res['mode'] == ('full' if full_res else 'crop')
    if full_res: assert res['max_side'] == 160 and 'image_size' not in res
    assert res['chroma_from'] == 'training photos'  # the packaged model's photos are at hand


def test_evaluate_prints_a_table():
    r = run('evaluate', '--split', 'valid')
    assert r.returncode == 0, r.stderr
    rows = [l for l in r.stdout.splitlines() if l.startswith('| ')]
    assert [l.split('|')[1].strip() for l in rows] == ['method', 'model', 'gray', 'mean_chroma']
    assert 'beats gray' in rows[0] and rows[1].count('%') == 4 and rows[2].endswith('- |')
    assert '2 photos at' in r.stdout and '0 with near-gray truths left out' in r.stdout


@pytest.mark.parametrize('name, full_res', [('missing.safetensors', False), ('not_a_checkpoint.txt', False),
                                            ('not_a_checkpoint.txt', True)])
def test_bad_model_is_a_one_line_error(tmp_path, name, full_res):
    path = tmp_path / name
    if name.endswith('.txt'): path.write_text('hello')
    r = run('evaluate', '--model', str(path), '--data', 'demo', '--json', *(['--full-res'] if full_res else []))
    assert r.returncode == 1
    assert r.stdout == ''
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f'colorful-world: error: {path}'), r.stderr
    assert 'Traceback' not in r.stderr
