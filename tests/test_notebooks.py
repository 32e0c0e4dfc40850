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


# What 'Run all' may train on a 2-core CPU without asking: pictures of side ≤ 64, ≤ 10 epochs, ≤ 300 overfit steps.
# Anything bigger sits under `if RUN_LONG:` (see the test above), since Jupyter and Colab run `#| slow` cells too.
SMALL_SIDE, SMALL_EPOCHS, SMALL_STEPS = 64, 10, 300


class _Budget:
    "What a notebook's calls would train, read from its source: the side and epochs of each config, following names."
    def __init__(self):
        from colorful_world.config import Config, preset
        self.preset, self.default = preset, Config()
        self.names, self.funcs = {}, {}  # name -> the expression it was last bound to; function -> what it returns

    def bind(self, tree):
        for n in ast.walk(tree):
            if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
                self.names[n.targets[0].id] = n.value
            elif isinstance(n, ast.FunctionDef):
                ret = [r.value for r in ast.walk(n) if isinstance(r, ast.Return) and r.value is not None]
                if ret: self.funcs[n.name] = ret[-1]

    def _kw(self, call):
        "The call's keyword arguments (None for one that is not a literal)."
        out = {}
        for k in call.keywords:
            if k.arg is None: continue
            try: out[k.arg] = ast.literal_eval(k.value)
            except ValueError: out[k.arg] = None
        return out

    def config(self, e, depth=0) -> dict:
        "The `image_size` and `n_epochs` an expression's config would have ({} where unknown)."
        if depth > 20 or e is None: return {}
        if isinstance(e, ast.Name): return self.config(self.names.get(e.id), depth + 1)
        if isinstance(e, (ast.Attribute, ast.Subscript)): return self.config(e.value, depth + 1)
        if isinstance(e, ast.BinOp): return self.config(e.left, depth + 1)
        if not isinstance(e, ast.Call): return {}
        f = e.func.id if isinstance(e.func, ast.Name) else getattr(e.func, 'attr', '')
        pick = lambda c: {'image_size': c.image_size, 'n_epochs': c.n_epochs}
        if f == 'preset' and e.args and isinstance(e.args[0], ast.Constant): base = pick(self.preset(e.args[0].value))
        elif f == 'Config': base = pick(self.default)
        elif f == 'get_dataloaders':
            side = e.args[1] if len(e.args) > 1 else next((k.value for k in e.keywords if k.arg == 'size'), None)
            return {'image_size': ast.literal_eval(side)} if isinstance(side, ast.Constant) else {}
        elif f in ('auto_config', 'load_generator'): return {}
        elif f in self.funcs: base = self.config(self.funcs[f], depth + 1)  # a function of the notebook: what it returns
        elif e.args: base = self.config(e.args[0], depth + 1)  # replace(cfg, ...), Pix2Pix(cfg), Pix2Pix.resume(path), ...
        else: base = {}
        return {**base, **{k: v for k, v in self._kw(e).items() if k in ('image_size', 'n_epochs')}}


def _small(c: dict) -> bool:
    side, epochs = c.get('image_size'), c.get('n_epochs')
    return side is not None and epochs is not None and side <= SMALL_SIDE and epochs <= SMALL_EPOCHS


def _cli_args(b: _Budget, lst: ast.List) -> list:
    "A `main([...])` argument list, its `*name` parts looked up, as source strings."
    out = []
    for x in lst.elts:
        if isinstance(x, ast.Starred) and isinstance(b.names.get(getattr(x.value, 'id', '')), ast.List):
            out += _cli_args(b, b.names[x.value.id])
        else: out.append(ast.literal_eval(x) if isinstance(x, ast.Constant) else ast.unparse(x))
    return out


def _over_budget(b: _Budget, tree) -> list:
    "The training calls of a cell's code that run outside `if RUN_LONG:` with more than the small budget."
    guarded, failing, bad, cli_runs = set(), set(), [], {}
    for n in ast.walk(tree):
        if isinstance(n, ast.If) and 'RUN_LONG' in ast.unparse(n.test) or isinstance(n, (ast.FunctionDef, ast.Lambda)):
            guarded |= {id(x) for x in ast.walk(n) if x is not n}  # not run here (or run only on request)
        if isinstance(n, ast.Call) and getattr(n.func, 'id', '') == 'test_eq' and len(n.args) == 2 and \
                isinstance(n.args[1], ast.Constant) and n.args[1].value != 0:
            failing.add(id(n.args[0]))  # a command expected to fail is refused before it trains
    calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call) and id(n) not in guarded),
                   key=lambda n: (n.lineno, n.col_offset))
    for n in calls:
        f = n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, 'attr', '')
        if f == 'train' and isinstance(n.func, ast.Name): ok = _small(b.config(n.args[0]))
        elif f == 'demo': ok = _small({**b.config(ast.parse("preset('cpu_demo')").body[0].value), **b._kw(n)})
        elif f == 'overfit_check': ok = b._kw(n).get('size', 64) <= SMALL_SIDE and b._kw(n).get('steps', 150) <= SMALL_STEPS
        elif f == 'fit' and isinstance(n.func, ast.Attribute) and 'Pix2Pix' in ast.unparse(b.names.get(
                getattr(n.func.value, 'id', ''), n.func.value)):  # a run's fit, not ImageOps.fit
            c = {**b.config(n.func.value), **{k: v for k, v in b.config(n.args[0] if n.args else None).items() if v}}
            until = b._kw(n).get('until')
            ok = _small({**c, 'n_epochs': until} if until else c)
        elif f == 'main' and n.args and isinstance(n.args[0], ast.List) and id(n) not in failing:
            a = _cli_args(b, n.args[0])
            if not a or a[0] not in ('train', 'demo'): continue
            val = lambda flag: a[a.index(flag) + 1] if flag in a[:-1] else None
            out = val('--out')
            side = val('--image-size') or (cli_runs.get(out) if '--resume' in a else None)
            epochs = val('--epochs') or (30 if a[0] == 'demo' else None)
            ok = side is not None and epochs is not None and int(side) <= SMALL_SIDE and int(epochs) <= SMALL_EPOCHS
            if ok and out: cli_runs[out] = side
        else: continue
        if not ok: bad.append(ast.unparse(n)[:100])
    return bad


def test_run_all_stays_quick_on_a_cpu():
    "No code cell trains more than a small budget unless it is behind `if RUN_LONG:` (Run all runs `#| slow` cells too)."
    bad = []
    for nb in sorted(NBS.glob('*.ipynb')):
        b = _Budget()
        for i, src in _code_cells(nb):
            if re.match(r'#\|\s*export', src): continue
            tree = ast.parse('\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('%', '!'))))
            b.bind(tree)
            bad += [f'{nb.name} cell {i}: {call}' for call in _over_budget(b, tree)]
    assert not bad, (f'these train more than {SMALL_SIDE}² pictures for {SMALL_EPOCHS} epochs outside `if RUN_LONG:`:\n'
                     + '\n'.join(bad))


def test_the_budget_check_sees_big_runs():
    "The check above flags what it should: a default-sized run, a long one, a big overfit; not a small or guarded one."
    b = _Budget()
    flagged = lambda src: _over_budget(b, (t := ast.parse(src), b.bind(t))[0])
    assert flagged("train(preset('cpu_demo', data_dir='photos'))")  # 128², 30 epochs
    assert flagged("small = preset('cpu_demo', image_size=64)\ntrain(replace(small, n_epochs=3, image_size=256))")
    assert flagged("cfg = preset('cpu_demo', image_size=64, n_epochs=3)\ndemo('out')")
    assert flagged("overfit_check(files, size=256, steps=1000)") and flagged("train(auto_config(data_dir='lfw'))")
    assert flagged("main(['train', '--preset', 'cpu_demo', '--out', 'x'])")
    assert not flagged("tiny = preset('cpu_demo', image_size=64, n_epochs=3)\ntrain(replace(tiny, n_epochs=2))")
    assert not flagged("Pix2Pix(preset('cpu_demo', image_size=64)).fit(dl, [], until=2)")
    assert not flagged("if RUN_LONG:  # about 13 minutes\n    train(preset('cpu_demo'))")
    assert not flagged("demo('out', image_size=64, n_epochs=2)\noverfit_check(files, steps=150)")
    assert not flagged("test_eq(main(['train', '--image-size', '100']), 1)")
