"""Measure a model on the two held-out splits of the default model's recipe, at full resolution, as users colorize.

    python tools/eval_heldout.py [--model CKPT_OR_NAME] [--faces ../shared/data/faces] [--json OUT.json]

1. the corpus' 47 held-out photos (its fixed split by source and subject; fetched full size where present);
2. the faces held out of training by `tools/make_default_model.py` (the `valid` list of `tools/faces_split.json`);
3. the corpus' held-out photos of people (its manifest's `people` flag): portraits, group and press photos, the
   nearest thing here to the photos users bring (the default model's checkpoint was chosen on this set).
Each photo is colorized whole through `Colorizer` (as `colorful-world colorize` does, the mirror pass included) and
compared with leaving it gray and with a constant mean color: `evaluate(..., split='all')` on the listed files, so
that models trained with other seeds are measured on the very same photos.
"""
import argparse, hashlib, json, time, warnings
from pathlib import Path
from colorful_world.sources import corpus_manifest, photo_files
from colorful_world.evaluation import evaluate, metrics_json, metrics_table
from colorful_world.colorizer import Colorizer, model_path

ROOT = Path(__file__).resolve().parents[1]

def heldout_sets(faces:Path)->dict:
    "The held-out photos of the recipe: the corpus' `valid` split and the faces' recorded `valid` list."
    split = json.loads((ROOT/'tools'/'faces_split.json').read_text())
    people = {r['name'] for r in corpus_manifest()['photos'] if r['split'] == 'valid' and r['people']}
    corpus = photo_files('valid')
    return {'corpus': corpus, 'faces': [faces/n for n in split['valid']],
            'corpus people': [f for f in corpus if f.name in people]}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--model', default=None, help='a checkpoint or a model name (default: the packaged model)')
    ap.add_argument('--faces', default=str(ROOT.parent/'shared'/'data'/'faces'), help='the faces folder')
    ap.add_argument('--json', default=None, help='also write the results to this JSON file')
    args = ap.parse_args()
    path = model_path(args.model)
    col, out = Colorizer(path), {'model_sha256': hashlib.sha256(path.read_bytes()).hexdigest()}
    warnings.simplefilter('ignore')
    for name, files in heldout_sets(Path(args.faces)).items():
        t = time.time()
        res = evaluate(col, files)
        out[name] = json.loads(metrics_json(res))
        print(f'## {name} ({len(files)} held out): {time.time() - t:.0f} s\n\n{metrics_table(res)}\n', flush=True)
    if args.json: Path(args.json).write_text(json.dumps(out, indent=1) + '\n')

if __name__ == '__main__': main()
