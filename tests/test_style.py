"One idea per line in the library: no `;`-chained statements and no line over 120 characters (STYLE.md)."
import io, tokenize
from pathlib import Path

MAX_LINE = 120
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
