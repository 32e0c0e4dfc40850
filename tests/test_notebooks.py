"House rules for notebooks that the tools depend on."
import ast, json, re, tomllib
from pathlib import Path

NBS = Path(__file__).resolve().parents[1]/'nbs'


def _code_cells(nb: Path):
    for i, c in enumerate(json.loads(nb.read_text())['cells']):
        if c['cell_type'] == 'code': yield i, ''.join(c['source'])


def test_imports_live_in_import_cells():
    "nbdev's docs build executes every cell that contains an import: such cells must hold imports only."
    bad = []
    for nb in sorted(NBS.glob('*.ipynb')):
        for i, src in _code_cells(nb):
            if re.search(r'^#\|\s*export', src, re.M) or 'nbdev_export()' in src: continue
            tree = ast.parse('\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('%', '!'))))
            has_import = any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(tree))
            only_imports = all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body)
            if has_import and not only_imports: bad.append(f'{nb.name} cell {i}: {src.splitlines()[0][:80]}')
    assert not bad, 'move these imports into the notebook\'s hidden import cell:\n' + '\n'.join(bad)


def test_each_numbered_notebook_exports_its_module():
    for nb in sorted(NBS.glob('[0-9]*.ipynb')):
        first = next(src for _, src in _code_cells(nb))
        m = re.search(r'#\|\s*default_exp\s+(\w+)', first)
        assert m and nb.stem.split('_', 1)[1] == m.group(1), f'{nb.name} should start with `#| default_exp {nb.stem.split("_", 1)[1]}`'


def test_no_cell_of_the_default_set_runs_longer_than_a_minute():
    "nbdev-test, the suite's first half, stops any cell that runs over a minute; long work is `#| slow` or behind RUN_LONG."
    cfg = tomllib.loads((NBS.parent/'pyproject.toml').read_text())['tool']['nbdev']
    assert 0 < int(cfg['cell_timeout']) <= 60 and 'slow' in cfg['tst_flags'].split()
    for nb in sorted(NBS.glob('*.ipynb')):
        for i, src in _code_cells(nb):  # a cell that trains for hours must be behind the visible switch, with its estimate
            if 'RUN_LONG' in src and not src.lstrip().startswith('RUN_LONG ='):
                assert re.match(r'#\|\s*slow', src), f'{nb.name} cell {i}: uses RUN_LONG but is not `#| slow`'
                assert re.search(r'if RUN_LONG:\s*#.*(minute|hour)', src), f'{nb.name} cell {i}: say how long it takes'
