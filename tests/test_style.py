"""The conventions of CONTRIBUTING.md that a test can check: one statement per line, short lines, no private names
crossing modules, and a web app and a data module that each do one job."""
import ast, io, tokenize
from pathlib import Path

MAX_LINE = 120 # no line over this
LONG, LONG_SHARE = 100, 0.03 # at most 3% of lines over 100 characters
MODULES = sorted(p for p in (Path(__file__).parents[1]/'colorful_world').glob('*.py') if p.name != '_modidx.py')

def _generated(lines:list)->set:
    "Line numbers that nbdev writes itself: the `__all__` list (and its continuation lines) and the `# %%` cell markers."
    out, in_all = set(), False
    for i, line in enumerate(lines, 1):
        in_all = in_all or line.startswith('__all__')
        if in_all or line.startswith('# %%'): out.add(i)
        if in_all and line.rstrip().endswith(']'): in_all = False
    return out

def style_problems(path:Path)->list:
    "`file:line: what` for each `;` statement separator and each line over `MAX_LINE` characters in `path`."
    src = path.read_text(encoding='utf-8')
    lines, name = src.splitlines(), path.name
    skip = _generated(lines)
    out = [f'{name}:{i}: {len(l)} characters (at most {MAX_LINE})'
           for i, l in enumerate(lines, 1) if len(l) > MAX_LINE and i not in skip]
    out += [f'{name}:{t.start[0]}: `;` between statements (one statement per line)'
            for t in tokenize.generate_tokens(io.StringIO(src).readline) if t.type == tokenize.OP and t.string == ';']
    return out

def test_checks_every_module():
    assert len(MODULES) >= 10 and all(p.name != '_modidx.py' for p in MODULES)

def test_finds_chained_statements_and_long_lines(tmp_path):
    bad = tmp_path/'bad.py'
    bad.write_text("__all__ = ['" + 'x' * 130 + "',\n           'y']\n# %% " + '-' * 130 + "\n"
                   "a = 1; b = 2\ns = 'a; b'  # a ; in a string or comment is fine\n" + 'c = ' + '1 + ' * 40 + '1\n')
    assert style_problems(bad) == ['bad.py:6: 165 characters (at most 120)',
                                   'bad.py:4: `;` between statements (one statement per line)']

def test_library_style():
    problems = [p for m in MODULES for p in style_problems(m)]
    assert not problems, 'in colorful_world/ (fix the notebook cells, then nbdev-export):\n' + '\n'.join(problems)

def long_lines(path:Path)->tuple:
    "(lines over `LONG` characters, lines) in `path`, nbdev's generated lines left out."
    lines = path.read_text(encoding='utf-8').splitlines()
    skip = _generated(lines)
    kept = [l for i, l in enumerate(lines, 1) if i not in skip]
    return sum(len(l) > LONG for l in kept), len(kept)

def test_long_lines_counted(tmp_path):
    f = tmp_path/'m.py'
    f.write_text("__all__ = ['" + 'x' * 130 + "']\n" + 'a = 1\n' * 3 + 'b = ' + '1 + ' * 30 + '1\n')
    assert long_lines(f) == (1, 4)

def test_few_long_lines():
    counts = {m.name: long_lines(m) for m in MODULES}
    n_long, n = map(sum, zip(*counts.values()))
    worst = sorted(((c[0], name) for name, c in counts.items()), reverse=True)[:5]
    assert n_long <= LONG_SHARE * n, f'{n_long} of {n} lines over {LONG} characters; most in {worst}'

def private_imports(path:Path)->list:
    "`file:line: name` for each `_private` name that `path` imports from a colorful_world module."
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if not isinstance(node, ast.ImportFrom): continue
        ours = node.level > 0 or (node.module or '').split('.')[0] == 'colorful_world'
        out += [f'{path.name}:{node.lineno}: {a.name}' for a in node.names
                if ours and a.name.startswith('_') and not a.name.startswith('__')]
    return out

def test_finds_private_imports(tmp_path):
    f = tmp_path/'m.py'
    f.write_text("from .visual import _evenly, make_gif\nfrom colorful_world.data import _shrink\n"
                 "from kornia.color import rgb_to_lab as _rgb2lab\nfrom os import _exit\n")
    assert private_imports(f) == ['m.py:1: _evenly', 'm.py:2: _shrink']

def test_no_private_names_cross_modules():
    tools = sorted((Path(__file__).parents[1]/'tools').glob('*.py'))
    problems = [p for m in MODULES + tools for p in private_imports(m)]
    assert not problems, 'private names imported from other modules:\n' + '\n'.join(problems)

def test_modules_do_one_job():
    n_lines = {m.stem: len(m.read_text(encoding='utf-8').splitlines()) for m in MODULES}
    assert n_lines['serving'] <= 250, f"serving.py: {n_lines['serving']} lines (the web app only: at most 250)"
    assert n_lines['data'] <= 400, f"data.py: {n_lines['data']} lines (datasets and loaders only: at most 400)"
    assert {'colorizer', 'sources'} <= set(n_lines)
