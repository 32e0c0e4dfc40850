"""Two runs of 06_evaluation's *Vivid or right* table that the library's `train` cannot make: L1 alone, and ab as classes.

Both use the shipped model's recipe (`cpu_demo`: 128² crops, 3 crops of each of the corpus' 325 training photos per
epoch, Adam at pix2pix's settings, 30 epochs whose last 15 decay) with G only, no discriminator:
- `--loss l1`: the L1 distance to the true ab, alone (the shipped model weighs it 1000 against the GAN loss);
- `--loss classes`: G's last layer gives logits over the in-gamut cells of a grid of ab bins (`--bin` Lab units wide);
  the target is soft-encoded (a Gaussian of the distance to each bin's center, sigma half a bin) and the loss is the
  cross-entropy, as in Zhang et al. (2016) without their rebalancing of rare colors; colors are read back as the
  annealed mean of the bins (`--temperature`; 1: the plain mean).
Then it evaluates the model as 06 does, on the held-out photos shrunk to 512 px, and prints the table's numbers:

    python tools/trade_off_runs.py --loss l1 --seed 7
    python tools/trade_off_runs.py --loss classes --seed 7 --temperature 0.38

About 4 minutes (l1) and 15 minutes (classes) on one core of a 2-core Xeon; the corpus must be fetched first
(`colorful-world data --data photos --fetch`).
"""
import argparse, time
from dataclasses import asdict
import torch
import torch.nn.functional as F
from torch import nn
from colorful_world.config import lr_factor, preset
from colorful_world.core import AB_SCALE, seed_everything
from colorful_world.data import get_dataloaders
from colorful_world.evaluation import evaluate
from colorful_world.model import LoadedGenerator, ModelConfig, build_generator
from colorful_world.colorizer import Colorizer


def ab_bins(width: float) -> torch.Tensor:
    "`[2,Q]`: the centers, in Lab units, of the cells of a `width`-wide grid over ab that hold an sRGB color."
    from kornia.color import lab_to_rgb
    g = torch.arange(-AB_SCALE + width / 2, AB_SCALE, width)
    a, b = (t.flatten() for t in torch.meshgrid(g, g, indexing='ij'))
    L = torch.linspace(2, 98, 49)[:, None].expand(-1, len(a))
    rgb = lab_to_rgb(torch.stack([L, a.expand_as(L), b.expand_as(L)])[None], clip=False)[0]
    ok = ((rgb >= -0.002) & (rgb <= 1.002)).all(0).any(0)  # in gamut at some lightness
    return torch.stack([a[ok], b[ok]])


class AnnealedMean(nn.Module):
    "A UNet with logits over ab bins, read back as the annealed mean of the bins, scaled as `rgb_to_lab` scales ab."
    def __init__(self, G: nn.Module, centers: torch.Tensor, temperature: float):
        super().__init__()
        self.G, self.temperature, self.multiple = G, temperature, G.multiple
        self.register_buffer('centers', centers)

    def forward(self, x):
        p = torch.softmax(self.G(x) / self.temperature, 1)
        return torch.einsum('bqhw,cq->bchw', p, self.centers) / AB_SCALE


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--loss', choices=('l1', 'classes'), default='l1')
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--epochs', type=int, default=30)
    ap.add_argument('--bin', type=float, default=20., help='width of the ab bins, in Lab units (classes)')
    ap.add_argument('--temperature', type=float, default=0.38, help='of the annealed mean (classes)')
    args = ap.parse_args()
    cfg = preset('cpu_demo', data_dir='photos', repeat=3, seed=args.seed, n_epochs=args.epochs)
    seed_everything(cfg.seed)
    trn, _ = get_dataloaders('photos', size=cfg.image_size, bs=cfg.batch_size, repeat=cfg.repeat, workers=0)
    G = build_generator(cfg)
    if args.loss == 'classes':
        centers = ab_bins(args.bin)
        G.ups[0].conv = nn.ConvTranspose2d(G.ups[0].conv.in_channels, centers.shape[1], 4, 2, 1)  # logits, no tanh
        G.ups[0].tanh = nn.Identity()
    opt = torch.optim.Adam(G.parameters(), lr=cfg.lr_gen, betas=(cfg.beta1, cfg.beta2))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor(cfg))
    t = time.time()
    for epoch in range(cfg.n_epochs):
        for gray, ab in trn:
            out = G(gray)
            if args.loss == 'l1': loss = F.l1_loss(out, ab)
            else:
                d2 = (ab[:, :, None] * AB_SCALE - centers[None, :, :, None, None]).pow(2).sum(1)  # [B,Q,H,W]
                target = torch.softmax(-d2 / (2 * (args.bin / 2) ** 2), 1)  # soft-encoded: sigma half a bin
                loss = -(target * F.log_softmax(out, 1)).sum(1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        print(f'epoch {epoch + 1}: loss {loss.item():.4f}, {time.time() - t:.0f} s', flush=True)
    model = G.eval() if args.loss == 'l1' else AnnealedMean(G, centers, args.temperature).eval()
    loaded = LoadedGenerator(model, ModelConfig.from_config(cfg), asdict(cfg), f'{args.loss}, seed {args.seed}')
    res = evaluate(Colorizer(loaded, bf16=False), 'photos', split='valid', max_side=512)
    m, n = res['model'], res['n_photos']
    print(f"{args.loss}, seed {args.seed}: dE2000 {m['delta_e']:.2f} (gray {res['gray']['delta_e']:.2f}), beats gray on "
          f"{res['win_rate_vs_gray']['delta_e']:.0%} of {n} photos by dE2000, chroma {m['chroma_ratio']:.0%} of the truth's")


if __name__ == '__main__': main()
