"The library and the notebooks agree, and the notebooks are clean."
import shutil, subprocess
from pathlib import Path


def _copy(repo: Path, dest: Path):
    for name in ['nbs', 'colorful_world', 'pyproject.toml', 'README.md']:
        src = repo / name
        if src.is_dir(): shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns('__pycache__', '.ipynb_checkpoints', '_proc'))
        else: shutil.copy(src, dest / name)


def _files(root: Path, sub: str, pattern: str):
    return {p.relative_to(root): p.read_bytes() for p in sorted((root / sub).rglob(pattern)) if '__pycache__' not in p.parts}


def test_export_leaves_library_unchanged(repo, tmp_path):
    _copy(repo, tmp_path)
    r = subprocess.run(['nbdev-export'], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    before, after = _files(repo, 'colorful_world', '*.py'), _files(tmp_path, 'colorful_world', '*.py')
    changed = sorted(str(k) for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f'run nbdev-export and commit: out of sync {changed}'


def test_notebooks_are_clean(repo, tmp_path):
    _copy(repo, tmp_path)
    r = subprocess.run(['nbdev-clean'], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    before, after = _files(repo, 'nbs', '*.ipynb'), _files(tmp_path, 'nbs', '*.ipynb')
    assert before.keys() == after.keys()
    dirty = sorted(str(k) for k in before if before[k] != after[k])
    assert not dirty, f'run nbdev-clean and commit: {dirty}'
