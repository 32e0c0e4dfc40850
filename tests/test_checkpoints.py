"System tests of checkpoints: every bad file is one line naming it from each command; one loader for all callers."
import json, subprocess
import pytest
import torch

BAD = ['no_metadata', 'lost_state_tensor', 'wrong_shapes', 'ngf_2048', 'pickle', 'random_bytes', 'truncated']


def run(*args):
    return subprocess.run(['colorful-world', *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope='module')
def bad(tmp_path_factory):
    "A good training checkpoint, and one file for each way a checkpoint can be bad."
    from safetensors import safe_open
    from safetensors.torch import save_file
    from colorful_world.training import Pix2Pix, preset
    d = tmp_path_factory.mktemp('ckpts')
    good = Pix2Pix(preset('cpu_demo', image_size=64, n_down=6, ngf=8, ndf=8, out_dir=str(d/'run'))).save()
    with safe_open(good, 'pt') as f: meta, tensors = f.metadata(), {k: f.get_tensor(k) for k in f.keys()}
    config = json.loads(meta['config'])
    first_state = next(k for k in tensors if k.startswith('state.'))
    files = {name: d/f'{name}.safetensors' for name in BAD}
    save_file(tensors, files['no_metadata'])
    save_file({k: v for k, v in tensors.items() if k != first_state}, files['lost_state_tensor'], metadata=meta)
    for name, ngf in [('wrong_shapes', 16), ('ngf_2048', 2048)]:
        model = json.dumps(dict(json.loads(meta['model']), ngf=ngf))
        save_file(tensors, files[name], metadata=dict(meta, config=json.dumps(dict(config, ngf=ngf)), model=model))
    torch.save({'G': torch.zeros(3)}, files['pickle'])
    files['random_bytes'].write_bytes(bytes(range(256)) * 40)
    files['truncated'].write_bytes(good.read_bytes()[:len(good.read_bytes()) // 2])
    return dict(files, good=good)


def one_line_error(r, path):
    "`r` failed with exit status 1 and one line naming `path`, without a traceback."
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1, (r.returncode, r.stderr[-2000:])
    assert len(lines) == 1 and lines[0].startswith(f'colorful-world: error: {path}: '), r.stderr[-2000:]
    return lines[0]


@pytest.mark.parametrize('name', BAD)
def test_colorize_refuses_a_bad_checkpoint_in_one_line(bad, name, tmp_path):
    photo = tmp_path/'photo.png'
    from PIL import Image
    Image.new('RGB', (32, 32), 'red').save(photo)
    line = one_line_error(run('colorize', str(photo), '-o', str(tmp_path/'out'), '--model', str(bad[name])), bad[name])
    expected = dict(no_metadata='not a colorful_world checkpoint', lost_state_tensor='which is not in the file',
                    wrong_shapes='do not fit the model its config describes',
                    ngf_2048='ngf 2048 is outside the supported range',
                    pickle='not a safetensors checkpoint', random_bytes='not a safetensors checkpoint',
                    truncated='not a safetensors checkpoint')[name]
    assert expected in line, line
    assert not (tmp_path/'out').exists() or not any((tmp_path/'out').iterdir())


@pytest.mark.parametrize('name', ['wrong_shapes', 'ngf_2048'])
def test_evaluate_and_serve_refuse_a_bad_checkpoint_in_one_line(bad, name):
    one_line_error(run('evaluate', '--model', str(bad[name]), '--data', 'demo'), bad[name])
    one_line_error(run('serve', '--port', '65001', '--model', str(bad[name])), bad[name])


@pytest.mark.parametrize('name', ['lost_state_tensor', 'wrong_shapes'])
def test_train_resume_refuses_a_bad_checkpoint_in_one_line(bad, name, tmp_path):
    from colorful_world.training import preset
    out = tmp_path/'run'
    (out/'models').mkdir(parents=True)
    cfg = preset('cpu_demo', image_size=64, n_down=6, ngf=8, ndf=8, out_dir=str(out))
    (out/'config.json').write_text(cfg.to_json())
    (out/'models'/'last.safetensors').write_bytes(bad[name].read_bytes())
    one_line_error(run('train', '--resume', '--out', str(out), '-q'), out/'models'/'last.safetensors')


def test_one_loader_for_serving_evaluation_and_training(bad):
    "A generator loaded for serving is evaluated as is; every reader agrees on what a checkpoint holds."
    from colorful_world.evaluation import evaluate
    from colorful_world.model import ModelConfig, load_checkpoint, load_generator
    from colorful_world.colorizer import Colorizer, read_generator
    G = read_generator()
    res = evaluate(G, 'demo', device='cpu', split='valid')
    assert res['n_photos'] == 2 and res['chroma_from'] == 'training photos'
    assert evaluate(Colorizer(G), 'demo', split='valid')['n_photos'] == 2
    ck, G2 = load_checkpoint(bad['good']), load_generator(bad['good'])
    assert ck.model == G2.config == ModelConfig(image_size=64, n_down=6, ngf=8, ndf=8) and ck.config == G2.run_config
    assert Colorizer(G2).cfg == G2.config
