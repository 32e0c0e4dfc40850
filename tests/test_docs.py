"The offline docs site and the README, built from the notebooks as a user would."
import importlib, json, os, re, subprocess, sys
from pathlib import Path
from urllib.parse import urlparse
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
ARTIFACTS = ROOT/'tests'/'artifacts'
from conftest import CHROMIUM, CHROMIUM_ARGS


def _module(nb: Path):
    "The module a notebook exports (its `default_exp`), or None."
    m = re.search(r'#\|\s*default_exp\s+(\w+)', nb.read_text())
    return m and m.group(1)


def _page(nb: Path) -> str:
    return 'index.html' if nb.stem == 'index' else f'{_module(nb) or nb.stem}.html'


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    dest = tmp_path_factory.mktemp('site')
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'build_docs.py'), '--dest', str(dest)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return dest


def _soup(p: Path): return BeautifulSoup(p.read_text(encoding='utf-8'), 'html.parser')


def _local(href: str) -> bool:
    u = urlparse(href)
    return not (u.scheme or href.startswith('#') or href.startswith('data:'))


def test_every_notebook_has_a_page_with_title_and_badge(site):
    notebooks = sorted(NBS.glob('*.ipynb'))
    assert len(notebooks) >= 8
    for nb in notebooks:
        page = site/_page(nb)
        assert page.exists(), f'{nb.name} has no page'
        s = _soup(page)
        title = s.find('h1', class_='title').get_text(strip=True)
        first_md = next(c for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'markdown')
        assert title and title in ''.join(first_md['source']), (nb.name, title)
        # the index's badge is a markdown cell of its own (the README shows it too); the others' come with the page
        badge = s.select_one('p.colab a') or s.select_one('main a[href*="colab.research.google.com"]')
        assert badge and badge['href'].endswith(f'/nbs/{nb.name}') and 'colab.research.google.com' in badge['href']
        assert (site/badge.img['src']).exists()


def test_sidebar_on_every_page_in_teaching_order_and_links_resolve(site):
    pages = sorted(site.glob('*.html'))
    expected = ['index.html'] + [_page(nb) for nb in sorted(NBS.glob('*.ipynb')) if nb.stem != 'index']
    for page in pages:
        links = [a['href'] for a in _soup(page).select('nav.sidebar a')]
        assert links == expected, page.name
        for href in links: assert (site/href).exists()


def test_every_local_link_and_image_resolves(site):
    for page in site.glob('*.html'):
        s = _soup(page)
        for a in s.find_all('a', href=True):
            if _local(a['href']): assert (site/urlparse(a['href']).path).exists(), (page.name, a['href'])
        for img in s.find_all('img', src=True):
            if _local(img['src']): assert (site/img['src']).exists(), (page.name, img['src'])
            else: assert img['src'].startswith('data:'), f'{page.name} loads an image from the network: {img["src"]}'
        for tag in s.find_all(['script', 'link'], src=True) + s.find_all('link', href=True):
            ref = tag.get('src') or tag.get('href')
            assert _local(ref) or ref.startswith('data:'), f'{page.name} needs the network for {ref}'


def test_figures_from_stored_outputs_are_on_the_pages(site):
    imgs = [img for p in site.glob('*.html') for img in _soup(p).find_all('img') if 'colab' not in img['src']]
    assert len(imgs) >= 10
    from PIL import Image
    for i in imgs:
        if _local(i['src']):
            with Image.open(site/i['src']) as im: assert min(im.size) >= 16, i['src']  # a real picture, decodable


def test_every_exported_name_is_documented_on_its_page(site):
    for nb in sorted(NBS.glob('[0-9]*.ipynb')):
        mod = importlib.import_module(f'colorful_world.{_module(nb)}')
        text = (site/_page(nb)).read_text(encoding='utf-8')
        missing = [n for n in getattr(mod, '__all__', []) if not re.search(rf'<h[234][^>]*id="{re.escape(n)}"|>{re.escape(n)}<', text)]
        assert not missing, f'{nb.name}: not documented: {missing}'


def test_pages_load_in_chromium_without_console_errors(site):
    assert Path(CHROMIUM).exists(), f'{CHROMIUM} is missing: apt-get install chromium (.ci/run does)'
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in ['index.html', 'training.html', 'evaluation.html']:
            page = browser.new_page(viewport={'width': 1280, 'height': 900})
            errors = []
            page.on('console', lambda m: errors.append(m.text) if m.type == 'error' else None)
            page.on('pageerror', lambda e: errors.append(str(e)))
            page.on('requestfailed', lambda r: errors.append(f'failed request {r.url}'))
            page.goto((site/name).as_uri()); page.wait_for_load_state('load')
            assert page.locator('nav.sidebar a').count() >= 8
            assert page.evaluate('Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)')
            page.screenshot(path=str(ARTIFACTS/f'docs_{Path(name).stem}.png'))
            assert not errors, (name, errors)
        browser.close()


def test_pictures_alone_in_a_paragraph_are_captioned_figures(site):
    "As on the quarto site, a markdown picture alone in its paragraph shows its alt text as a caption (the index's two)."
    for page, names in [('index.html', ['demo_before_after.jpg', 'demo_color_evolution.gif']),
                        ('evaluation.html', ['demo_color_evolution.gif'])]:
        caps = {f.img['src']: f.figcaption.get_text(strip=True) for f in _soup(site/page).select('main figure')
                if f.img and f.figcaption}
        for name in names:
            cap = next((c for src, c in caps.items() if src.endswith(name)), '')
            assert len(cap) > 30, (page, name, caps)


RAW_MATH = re.compile(r'\$\$|\$[^$\n]*[\\^_{}][^$\n]*\$')  # TeX left as typed: $$, or $…$ around a backslash, ^, _ or braces

def test_formulas_render_as_mathml_not_raw_tex(site):
    "No page shows TeX as typed; the pages with formulas draw them as MathML (no script, no network)."
    for page in site.glob('*.html'):
        main = _soup(page).find('main')
        for tag in main.find_all(['math', 'code', 'pre', 'script', 'style']): tag.decompose()
        assert not RAW_MATH.search(main.get_text()), (page.name, RAW_MATH.search(main.get_text())[0])
    for page, n in [('loss.html', 1), ('evaluation.html', 3)]:
        maths = _soup(site/page).select('main math')
        assert len(maths) >= n and any(m.get('display') == 'block' for m in maths), (page, len(maths))
        assert all(m.find(['mi', 'mn', 'mo']) for m in maths) and not any('\\' in m.get_text() for m in maths), page


def test_every_picture_has_a_description(site):
    "Each picture's alt text says what it shows (a figure's caption or the sentence that introduces it), never a placeholder."
    for page in site.glob('*.html'):
        for img in _soup(page).select('main img'):
            alt = img.get('alt', '').strip()
            assert len(alt) > 3 and 'No description' not in alt, (page.name, img.get('src', '')[:60], alt)


def test_the_evaluation_page_has_a_working_static_slider(site):
    "The docs page of 06 scrubs the color evolution with no kernel and no network: a slider, input and truth beside."
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={'width': 1400, 'height': 900})
        errors = []
        page.on('pageerror', lambda e: errors.append(str(e)))
        page.goto((site/'evaluation.html').as_uri()); page.wait_for_load_state('load')
        strips = page.locator('figure.evolution-strip')
        assert strips.count() >= 1, 'no static slider (evolution_strip) on the evaluation page'
        strip = strips.first
        strip.scroll_into_view_if_needed()
        rng, frame, said = strip.locator('input[type=range]'), strip.locator('img.frame'), strip.locator('output')
        assert rng.is_visible() and rng.is_enabled(), 'the slider is not there or its script did not run'
        shown = lambda img: img.is_visible() and img.evaluate('i => i.decode().then(() => i.naturalWidth > 0)')
        for part in ('gray', 'frame', 'truth'): assert shown(strip.locator(f'img.{part}')), part
        srcs = {strip.locator(f'img.{part}').get_attribute('src') for part in ('gray', 'frame', 'truth')}
        assert len(srcs) == 3, 'input, frame and truth are three different pictures'
        n, last = int(rng.get_attribute('max')) + 1, frame.get_attribute('src')
        assert n >= 5 and rng.input_value() == str(n - 1), 'it opens on the last epoch'
        rng.fill('0')  # drag it to the first epoch
        first = frame.get_attribute('src')
        assert first != last and shown(frame) and said.text_content().startswith('epoch 1 of')
        assert strip.locator('.frame-label').text_content() == 'epoch 1'
        rng.focus(); page.keyboard.press('ArrowRight')  # one epoch on, by keyboard
        assert rng.input_value() == '1' and frame.get_attribute('src') not in (first, last) and shown(frame)
        page.keyboard.press('End')
        assert frame.get_attribute('src') == last
        ARTIFACTS.mkdir(exist_ok=True)
        strip.screenshot(path=str(ARTIFACTS/'docs_evolution_strip.png'))
        browser.close()
    assert not errors, errors


def test_readme_is_generated_from_index(tmp_path):
    sys.path.insert(0, str(ROOT/'tools'))
    try: import build_docs
    finally: sys.path.pop(0)
    out = build_docs.render_readme(tmp_path/'README.md', tmp_path/'nbs'/'images')
    assert out.read_text(encoding='utf-8') == (ROOT/'README.md').read_text(encoding='utf-8'), \
        'README.md is out of date: run `python tools/build_docs.py --readme` and commit'
    for f in (tmp_path/'nbs'/'images').rglob('*'):
        if f.is_file(): assert (ROOT/f.relative_to(tmp_path)).read_bytes() == f.read_bytes(), f


INSTALL = "'google.colab' in sys.modules"

def test_every_notebook_with_a_colab_badge_installs_the_package_in_colab():
    "Every page has an 'Open in Colab' badge: its notebook's code must run there, so it installs the package first."
    for nb in sorted(NBS.glob('*.ipynb')):
        code = [''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']
        if not code: continue  # prose only (the benchmarks page): nothing to run
        install = next((i for i, s in enumerate(code) if INSTALL in s and "'pip', 'install'" in s), None)
        assert install is not None, f'{nb.name} has a Colab badge but no install cell'
        first_use = next((i for i, s in enumerate(code) if re.search(r'^\s*(from|import) colorful_world', s, re.M)
                          and not re.search(r'^#\|\s*export', s, re.M)), len(code))
        assert install < first_use, f'{nb.name}: the install cell comes after colorful_world is imported'


def test_descriptions_render_their_code_and_classes_read_as_classes(site):
    cli = _soup(site/'cli.html')
    assert cli.select_one('p.description code').get_text() == 'colorful-world'
    assert '`' not in cli.select_one('p.description').get_text() and '`' not in cli.find('meta', attrs={'name': 'description'})['content']
    sigs = [pre.get_text() for page in site.glob('*.html') for pre in _soup(page).find_all('pre')  # on its module's page
            if re.match(r'(def|class) Config\(', pre.get_text())]
    config = [s for s in sigs if s.startswith('class Config(')]  # the dataclass, not its generated __init__
    assert config and '->None' not in config[0] and not any(s.startswith('def Config(') for s in sigs), sigs


def test_no_page_is_wider_than_the_window(site):
    "At 1400 px, long outputs wrap or scroll inside their own box: the page itself never scrolls sideways."
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={'width': 1400, 'height': 900})
        wide = {}
        for html_file in sorted(site.glob('*.html')):
            page.goto(html_file.as_uri()); page.wait_for_load_state('load')
            w = page.evaluate('document.documentElement.scrollWidth')
            if w > 1400: wide[html_file.name] = w
        page.goto((site/'training.html').as_uri()); page.wait_for_load_state('load')
        page.evaluate('''() => {  // a longer output line and a wider table than any page has yet
            document.querySelector('.output_area pre').textContent += 'x'.repeat(3000) + ' ' + 'y '.repeat(3000);
            const t = document.querySelector('.output_area').appendChild(document.createElement('table'));
            t.innerHTML = '<tr>' + '<td>a_long_cell_value</td>'.repeat(200) + '</tr>'; }''')
        w = page.evaluate('document.documentElement.scrollWidth')
        if w > 1400: wide['training.html with a 3000-character output line and a 200-column table'] = w
        browser.close()
    assert not wide, f'pages wider than the 1400 px window: {wide}'
