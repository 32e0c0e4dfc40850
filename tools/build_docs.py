"""Build the docs site offline, without quarto, and generate README.md from nbs/index.ipynb.

The notebooks go through nbdev's own processing (`nbdev.serve.proc_nbs`: directives, hidden cells, `show_doc`
API entries, links between pages), then nbconvert renders each processed notebook to HTML. Every page gets the
site's sidebar, its title and description, and an "Open in Colab" badge; a picture alone in its paragraph becomes a
figure captioned with its alt text, as quarto makes it. Math (`$…$`, `$$…$$`) becomes MathML, which browsers draw
with no script and no network (quarto's `html-math-method: mathml`); a figure from a cell's output takes its alt
text from the cell's `fig-alt` or `fig-cap`, else from the paragraph before the cell that introduces it. The GitHub deploy workflow still builds
the real quarto site with `nbdev-docs`; this one is for machines without quarto, and for the tests.

    python tools/build_docs.py                # the site, into _docs/
    python tools/build_docs.py --dest DIR     # the site, into DIR
    python tools/build_docs.py --readme       # README.md (and its images) from nbs/index.ipynb
"""
from __future__ import annotations
import argparse, html, json, re, shutil, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the processed pages sit in the site's root folder: nbconvert's heading anchors and the sidebar all link there
PAGE_CSS = """
:root { --side: 15rem; --accent: #e4572e; }
* { box-sizing: border-box; }
body { margin: 0; font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #222; line-height: 1.55; }
header.site { position: sticky; top: 0; z-index: 2; background: #2c3e50; color: #fff; padding: .6rem 1.2rem; }
header.site a { color: #fff; text-decoration: none; font-weight: 600; }
nav.sidebar { position: fixed; top: 2.8rem; bottom: 0; width: var(--side); overflow-y: auto; padding: 1rem; border-right: 1px solid #eee; background: #fafafa; }
nav.sidebar ol { list-style: none; margin: 0; padding: 0; }
nav.sidebar li a { display: block; padding: .3rem .5rem; border-radius: 4px; color: #2c3e50; text-decoration: none; font-size: .95rem; }
nav.sidebar li a.active, nav.sidebar li a:hover { background: #e8eef3; }
main { margin-left: var(--side); padding: 1.5rem 2.5rem 4rem; max-width: calc(var(--side) + 62rem); overflow-wrap: break-word; }
main img { max-width: 100%; height: auto; }
figure { margin: 1rem 0; } figcaption { margin-top: .3rem; font-size: .9rem; font-style: italic; color: #555; }
h1.title { margin-bottom: .2rem; }
p.description { margin-top: 0; font-size: 1.2rem; font-style: italic; opacity: .7; }
.colab { margin: .5rem 0 1.2rem; }
.highlight pre { background: #f6f8fa; border-radius: 4px; padding: .6rem .8rem; overflow-x: auto; font-size: .88rem; }
/* nbconvert's classic template (the `basic` one used here): long outputs wrap, wide tables and pictures scroll in their own box */
.output_area pre { margin: .2rem 0 .8rem .8rem; padding-left: .6rem; border-left: 2px solid lightsalmon; font-size: .85rem;
  white-space: pre-wrap; overflow-x: auto; max-height: 40rem; overflow-y: auto; }
.output_subarea { max-width: 100%; overflow-x: auto; }
.prompt { display: none; }
table { border-collapse: collapse; margin: .6rem 0; display: block; max-width: 100%; overflow-x: auto; } th, td { border: 1px solid #ddd; padding: .25rem .6rem; }
hr { border: 0; border-top: 1px solid #eee; margin: 1.5rem 0; }
.anchor-link { visibility: hidden; margin-left: .3rem; color: #aaa; text-decoration: none; }
h1:hover .anchor-link, h2:hover .anchor-link, h3:hover .anchor-link, h4:hover .anchor-link { visibility: visible; }
main p > a[href*="/blob/"]:only-child { float: right; font-size: smaller; color: #888; }
"""

# a local copy of the usual badge: the site must load with no network
COLAB_BADGE = ('<svg xmlns="http://www.w3.org/2000/svg" width="117" height="20" role="img" aria-label="Open In Colab">'
               '<rect rx="3" width="117" height="20" fill="#555"/><rect rx="3" x="24" width="93" height="20" fill="#f9ab00"/>'
               '<circle cx="9" cy="10" r="5" fill="none" stroke="#f9ab00" stroke-width="3"/><circle cx="16" cy="10" r="5" fill="none" '
               'stroke="#e8710a" stroke-width="3"/><text x="70" y="14" fill="#fff" font-family="Verdana,sans-serif" font-size="11" '
               'text-anchor="middle">Open in Colab</text></svg>')

TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {site}</title><meta name="description" content="{plain_description}">
<link rel="icon" href="favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="site.css"><link rel="stylesheet" href="styles.css"></head>
<body><header class="site"><a href="index.html">{site}</a></header>
<nav class="sidebar" aria-label="notebooks"><ol>{nav}</ol></nav>
<main><h1 class="title">{title}</h1><p class="description">{description}</p>{badge}
{body}</main></body></html>
"""


def cfg():
    "nbdev's settings for this project."
    from nbdev.config import get_config
    return get_config(ROOT)


def processed_notebooks(nbs: Path, proc: Path) -> list:
    "Run nbdev's notebook processing (directives, hidden cells, show_doc) into `proc`; the processed notebooks."
    from nbdev.serve import proc_nbs
    out = Path(proc_nbs(str(nbs), n_workers=0, force=True))
    if out.resolve() != proc.resolve():
        shutil.rmtree(proc, ignore_errors=True); shutil.copytree(out, proc)
    return sorted(proc.glob('*.ipynb'), key=lambda p: (p.stem != 'index', p.stem))


def frontmatter(nb) -> dict:
    "The YAML front matter nbdev put in the first raw cell (title, description, output-file)."
    import yaml
    for c in nb.cells:
        if c.cell_type == 'raw' and c.source.startswith('---'):
            return yaml.safe_load(c.source.strip().strip('-')) or {}
    return {}


_DIRECTIVE = re.compile(r'^#\|\s*([\w-]+):\s*(.*)$')


def inline_code(text: str) -> str:
    "`text` as HTML, with its `backticked` spans as <code> (nbdev leaves a description's markdown as it is)."
    return re.sub(r'`([^`]+)`', r'<code>\1</code>', html.escape(text))


_CLASS_SIG = re.compile(r'```python\ndef ([A-Z]\w*\((?:(?!```).)*?)\)->None:([ \t]*(?:#[^\n]*)?)\n```', re.S)

def class_signatures(md: str) -> str:
    "`show_doc` of a class (a dataclass, say) in fastcore's renders its `__init__`: `def Config(...)->None`; make it `class Config(...)`."
    md = _CLASS_SIG.sub(lambda m: f'```python\nclass {m[1]}){m[2]}\n```', md)
    return re.sub(r'```python\ndef ([A-Z]\w*\()', r'```python\nclass \1', md)

_CODE = re.compile(r'(```.*?```|`[^`\n]+`)', re.S)  # code blocks and spans: no math inside
_MATH = re.compile(r'\$\$(.+?)\$\$|(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\d$])', re.S)

def math_to_mathml(md: str) -> str:
    "`$…$` and `$$…$$` in markdown as MathML, which browsers render with no script and no network (quarto: mathml)."
    from latex2mathml.converter import convert
    def one(m):
        block = m[1] is not None
        return convert((m[1] if block else m[2]).strip(), display='block' if block else 'inline')
    return ''.join(p if i % 2 else _MATH.sub(one, p) for i, p in enumerate(_CODE.split(md)))


def plain(md: str) -> str:
    "Markdown as one line of plain text (for an alt text): no links, code marks, emphasis or math."
    md = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', md)
    md = re.sub(r'\$+([^$]*)\$+', r'\1', md)
    md = re.sub(r'[`*#>]|(?<!\w)_|_(?!\w)', '', md)  # emphasis marks, not the underscores inside names
    return ' '.join(md.split())


def first_sentences(text: str, n: int = 250) -> str:
    "The sentences of `text` that fit in `n` characters (at least the first)."
    out = ''
    for s in re.split(r'(?<=[.;!?])\s+', text):
        if out and len(out) + len(s) > n: break
        out = f'{out} {s}'.strip()
    return out


def figure_alt(directives: dict, before: str) -> str:
    "A figure's alt text, as quarto takes it: its `fig-alt`, else its `fig-cap`, else the paragraph that introduces it."
    text = directives.get('fig-alt') or directives.get('fig-cap')
    if text: return text.strip('\'"')
    pars = [p for p in re.split(r'\n\s*\n', before) if p.strip() and not p.lstrip().startswith(('#', '```', '|'))]
    return first_sentences(plain(pars[-1])) if pars else ''


def prepare(nb):
    "Apply the quarto directives nbdev leaves (echo, output, include) the way quarto would, for nbconvert."
    keep, before = [], ''
    for c in nb.cells:
        for k in set(c) - {'cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source', 'attachments'}: del c[k]  # nbdev's markers
        c.metadata.pop('execution', None)  # execnb's timings
        if c.cell_type == 'raw': continue
        if c.cell_type == 'markdown' and c.source.startswith('<!-- WARNING'): continue
        if c.cell_type == 'markdown': before = c.source
        if c.cell_type == 'code':
            lines = c.source.splitlines()
            d = {m[1]: m[2].strip() for l in lines if (m := _DIRECTIVE.match(l))}
            d.update({k: v.lower() for k, v in d.items() if k in ('echo', 'output', 'include')})
            alt = figure_alt(d, before)
            for o in c.get('outputs', []):  # pictures, and pictures inside HTML (a callback's frame), without an alt
                if any(k.startswith('image/') for k in o.get('data', {})) and alt: c.metadata.setdefault('alt', alt)
                if '<img' in (h := ''.join(o.get('data', {}).get('text/html', ''))):
                    o['data']['text/html'] = re.sub(r'<img (?![^>]*\balt=)', f'<img alt="{html.escape(alt)}" ', h)
            if d.get('include') == 'false': continue
            c.source = '\n'.join(l for l in lines if not _DIRECTIVE.match(l) and not l.startswith('#|')).strip()
            tags = c.metadata.setdefault('tags', [])
            if d.get('echo') == 'false' or not c.source: tags.append('hide-input')
            if d.get('output') == 'false': tags.append('hide-output')
            for o in c.get('outputs', []):  # quarto's link attributes mean nothing to a markdown renderer
                md = o.get('data', {}).get('text/markdown')
                if md: o['data']['text/markdown'] = class_signatures(re.sub(r'\)\{[^}]*\}', ')', ''.join(md) if isinstance(md, list) else md))
        keep.append(c)
    nb.cells = keep
    return nb


_FIGURE = re.compile(r'!\[([^\]]+)\]\(([^)\s]+)\)')

def figures(md: str) -> str:
    "A picture alone in its paragraph as a figure captioned with its alt text, as quarto renders it."
    def fig(par):
        m = _FIGURE.fullmatch(par.strip())
        if not m: return par
        alt, src = html.escape(m[1]), html.escape(m[2])
        return f'<figure><img src="{src}" alt="{alt}"><figcaption>{inline_code(m[1])}</figcaption></figure>'
    return '\n\n'.join(fig(p) for p in re.split(r'\n\s*\n', md))


def colab_url(c, stem: str) -> str:
    return f'https://colab.research.google.com/github/{c.user}/{c.repo}/blob/{c.branch}/{c.nbs_path.name}/{stem}.ipynb'


REMOTE_BADGE = 'https://colab.research.google.com/assets/colab-badge.svg'

def relative_links(text: str, c) -> str:
    "Links to this site's own pages (nbdev writes them with the site's address) made relative; Colab's badge, local."
    base = f'{c.doc_host}{c.doc_baseurl}'.rstrip('/') + '/'
    text = text.replace(REMOTE_BADGE, 'colab-badge.svg')
    return text.replace(base, '') if base.startswith('http') else text


def render_site(dest: Path) -> list:
    "Build the site into `dest`; the list of pages written."
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor, ExtractOutputPreprocessor
    c = cfg()
    proc = ROOT/'_proc'
    nbs = processed_notebooks(c.nbs_path, proc)
    dest.mkdir(parents=True, exist_ok=True)
    pages = []
    for p in nbs:
        nb = nbformat.read(p, as_version=4)
        fm = frontmatter(nb)
        name = 'index.html' if p.stem == 'index' else fm.get('output-file', p.stem + '.html')
        pages.append(dict(src=p, nb=prepare(nb), fm=fm, name=name,
                          title=fm.get('title', p.stem), description=fm.get('description', '')))
    (dest/'site.css').write_text(PAGE_CSS)
    shutil.copy(c.nbs_path/'styles.css', dest/'styles.css')
    (dest/'colab-badge.svg').write_text(COLAB_BADGE)
    shutil.copy(ROOT/'colorful_world'/'static'/'favicon.svg', dest/'favicon.svg')  # the web app's icon
    if (c.nbs_path/'images').is_dir(): shutil.copytree(c.nbs_path/'images', dest/'images', dirs_exist_ok=True)  # pictures the markdown links to
    written = []
    for pg in pages:
        for cell in pg['nb'].cells:
            if cell.cell_type == 'markdown': cell.source = math_to_mathml(figures(cell.source))
        exp = HTMLExporter(template_name='basic', exclude_input_prompt=True, exclude_output_prompt=True)
        exp.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'hide-input'}, remove_all_outputs_tags={'hide-output'}, enabled=True), True)
        exp.register_preprocessor(ExtractOutputPreprocessor(enabled=True), True)
        files_dir = Path(pg['name']).stem + '_files'
        body, res = exp.from_notebook_node(pg['nb'], resources={'output_files_dir': files_dir, 'unique_key': Path(pg['name']).stem})
        for fn, data in res.get('outputs', {}).items():
            (dest/fn).parent.mkdir(parents=True, exist_ok=True); (dest/fn).write_bytes(data)
        nav = ''.join(f'<li><a href="{q["name"]}"{" class=active" if q is pg else ""}>{html.escape(q["title"])}</a></li>' for q in pages)
        badge = '' if pg['name'] == 'index.html' else (
            f'<p class="colab"><a href="{colab_url(c, pg["src"].stem)}"><img src="colab-badge.svg" alt="Open In Colab"></a></p>')
        out = TEMPLATE.format(title=html.escape(pg['title']), description=inline_code(pg['description']),
                              plain_description=html.escape(pg['description'].replace('`', '')), site=html.escape(c.title),
                              nav=nav, badge=badge, body=relative_links(body, c))
        (dest/pg['name']).write_text(out, encoding='utf-8')
        written.append(dest/pg['name'])
    from pygments.formatters import HtmlFormatter
    with open(dest/'site.css', 'a') as f: f.write(HtmlFormatter(style='friendly').get_style_defs('.highlight'))
    return written


def render_readme(out: Path = ROOT/'README.md', images: Path = ROOT/'nbs'/'images') -> Path:
    "README.md from the processed index notebook, its output images written to `images` (relative links)."
    import nbformat
    from nbconvert import MarkdownExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    c = cfg()
    src = c.nbs_path/c.get('readme_nb', 'index.ipynb')
    from nbdev.serve import proc_nbs
    proc = Path(proc_nbs(str(c.nbs_path), n_workers=0, file_glob=src.name))
    nb = prepare(nbformat.read(proc/src.name, as_version=4))
    fm = frontmatter(nbformat.read(proc/src.name, as_version=4))
    exp = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True)  # extracts output images itself
    exp.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'hide-input'}, remove_all_outputs_tags={'hide-output'}, enabled=True), True)
    rel = images.relative_to(out.parent)
    body, res = exp.from_notebook_node(nb, resources={'output_files_dir': str(rel/'readme'), 'unique_key': 'readme'})
    for fn, data in res.get('outputs', {}).items():
        (out.parent/fn).parent.mkdir(parents=True, exist_ok=True); (out.parent/fn).write_bytes(data)
    body = body.replace('](images/', f']({rel.as_posix()}/')  # markdown images of the notebook, seen from the README
    head = f"# {fm.get('title', c.title)}\n\n> {fm.get('description', c.description)}\n\n"
    note = '<!-- Generated from nbs/index.ipynb by `python tools/build_docs.py --readme`: edit the notebook, not this file. -->\n\n'
    text = head + note + re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'
    out.write_text(text, encoding='utf-8')
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dest', default=None, help='folder for the site (default: the doc_path of pyproject.toml, _docs)')
    ap.add_argument('--readme', action='store_true', help='generate README.md from nbs/index.ipynb instead of the site')
    a = ap.parse_args(argv)
    if a.readme: print(f'wrote {render_readme()}'); return 0
    dest = Path(a.dest) if a.dest else cfg().doc_path
    pages = render_site(dest)
    print(f'wrote {len(pages)} pages to {dest}')
    return 0


if __name__ == '__main__': sys.exit(main())
