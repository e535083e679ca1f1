"""The benchmark's PyTorch twin: the same two GANs, one iteration = D step then G step (D frozen during
G's step, as tfjs only differentiates the optimiser's variables). Prints one JSON line BENCH_RESULT.
Run by scripts/bench/bench.ts with OMP_WAIT_POLICY=PASSIVE (else OpenMP spins against OpenBLAS here)."""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

cfg = json.loads(sys.argv[1])
torch.set_num_threads(cfg.get("threads", 2))
torch.manual_seed(0)


class Maxout(nn.Module):
    def __init__(self, i, units, pieces):
        super().__init__()
        self.lin = nn.Linear(i, units * pieces)
        self.units, self.pieces = units, pieces

    def forward(self, x):
        return self.lin(x).view(-1, self.units, self.pieces).max(-1)[0]


def paper():
    g = nn.Sequential(nn.Linear(100, 1200), nn.ReLU(), nn.Linear(1200, 1200), nn.ReLU(), nn.Linear(1200, 784), nn.Sigmoid())
    d = nn.Sequential(nn.Dropout(0.2), Maxout(784, 240, 5), nn.Dropout(0.5), Maxout(240, 240, 5), nn.Dropout(0.5), nn.Linear(240, 1))
    opt = lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.5)
    z = lambda n: (torch.rand(n, 100) * 2 - 1) * 3 ** 0.5
    return g, d, opt, z, 100


class Dcgan_G(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(100, 7 * 7 * 128, bias=False)
        self.bn0 = nn.BatchNorm2d(128, momentum=0.1, eps=1e-5)
        self.up1 = nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64, momentum=0.1, eps=1e-5)
        self.up2 = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.bn0(self.fc(z).view(-1, 128, 7, 7)))
        h = F.relu(self.bn1(self.up1(h)))
        return torch.sigmoid(self.up2(h)).view(-1, 784)


class Dcgan_D(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 64, 4, 2, 1)
        self.c2 = nn.Conv2d(64, 128, 4, 2, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(128, momentum=0.1, eps=1e-5)
        self.fc = nn.Linear(7 * 7 * 128, 1)

    def forward(self, x):
        h = F.leaky_relu(self.c1(x.view(-1, 1, 28, 28)), 0.2)
        h = F.leaky_relu(self.bn2(self.c2(h)), 0.2)
        return self.fc(h.flatten(1))


def dcgan():
    opt = lambda p: torch.optim.Adam(p, lr=2e-4, betas=(0.5, 0.999))
    return Dcgan_G(), Dcgan_D(), opt, lambda n: torch.randn(n, 100), 64


g, d, make_opt, sample_z, batch = paper() if cfg["model"] == "paper" else dcgan()
g_opt, d_opt = make_opt(g.parameters()), make_opt(d.parameters())
real = torch.rand(batch, 784)
ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
bce = F.binary_cross_entropy_with_logits


def iteration():
    # D step: G(z) is a constant.
    for p in d.parameters():
        p.requires_grad_(True)
    with torch.no_grad():
        fake = g(sample_z(batch))
    d_opt.zero_grad(set_to_none=True)
    d_loss = bce(d(real), ones) + bce(d(fake), zeros)
    d_loss.backward()
    d_opt.step()
    # G step: D frozen, non-saturating loss.
    for p in d.parameters():
        p.requires_grad_(False)
    g_opt.zero_grad(set_to_none=True)
    g_loss = bce(d(g(sample_z(batch))), ones)
    g_loss.backward()
    g_opt.step()
    return d_loss.item() + g_loss.item()


# Warm-up as worker.ts: at least `warmup` iterations and until `warmupSeconds` have passed.
warm_start, warmup_iters = time.perf_counter(), 0
while warmup_iters < cfg["warmup"] or time.perf_counter() - warm_start < cfg.get("warmupSeconds", 0):
    iteration()
    warmup_iters += 1
times = []
for _ in range(cfg["iters"]):
    t0 = time.perf_counter()
    iteration()
    times.append((time.perf_counter() - t0) * 1000)
print("BENCH_RESULT " + json.dumps({
    "model": cfg["model"], "backend": "pytorch", "variant": f"torch {torch.__version__}, {torch.get_num_threads()} threads",
    "batch": batch, "warmup": warmup_iters, "timesMs": times,
}))
