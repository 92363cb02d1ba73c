"""Network definitions, each built from a plain config dict (stored in the bundle manifest).

``build_network(config)`` is the only constructor the trainer and the bundle loader use, so a
manifest's ``"network"`` entry is enough to rebuild the exact architecture.

* ``"code"``: the 1-D ResNet of Ribeiro et al. (2020, *Nat Commun* 11:1760, the CODE study):
  a kernel-16 stem and 4 residual blocks whose skip path is max-pool + 1x1 convolution, then
  flatten + linear. The original takes 4096 samples at 400 Hz and downsamples by 4 in every
  block; at 100 Hz x 1000 samples the default downsamples by (2, 2, 2, 5), so the last layer
  sees 25 steps of 0.4 s (the original: 16 steps of 0.64 s).
* ``"xresnet1d"``: the 1-D bag-of-tricks ResNet (He et al. 2019, "ResNet-D") that Strodthoff et
  al. (2021, *IEEE JBHI* 25:1519) found strongest on PTB-XL: a 3-convolution stem, bottleneck
  blocks with average-pool shortcuts, the last BatchNorm of each block zero-initialised, and a
  concat(avg, max)-pool head. ``layers=[3, 4, 6, 3]`` is xresnet1d50.

Imports torch at module level: import this module only where a network is needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch
from torch import Tensor, nn

NetworkConfig = Mapping[str, Any]

CODE_DEFAULTS: dict[str, Any] = {
    "arch": "code",
    "kernel_size": 16,
    "stem_filters": 64,
    "filters": [128, 196, 256, 320],
    "downsample": [2, 2, 2, 5],
    "dropout": 0.2,
}

XRESNET_DEFAULTS: dict[str, Any] = {
    "arch": "xresnet1d",
    "kernel_size": 5,
    "stem_filters": [32, 32, 64],
    "widths": [64, 128, 256, 512],
    "layers": [3, 4, 6, 3],
    "expansion": 4,
    "dropout": 0.5,
}


def network_config(arch: str, **overrides: Any) -> dict[str, Any]:
    """The default config of ``arch`` (``"code"`` or ``"xresnet1d"``) with ``overrides`` applied."""
    defaults = {"code": CODE_DEFAULTS, "xresnet1d": XRESNET_DEFAULTS}.get(arch)
    if defaults is None:
        raise ValueError(f"unknown architecture {arch!r}; expected 'code' or 'xresnet1d'")
    unknown = set(overrides) - set(defaults)
    if unknown:
        raise ValueError(f"unknown {arch} settings: {', '.join(sorted(unknown))}")
    return {**defaults, **overrides}


def build_network(config: NetworkConfig, n_leads: int, n_samples: int, n_classes: int) -> nn.Module:
    """Build the network ``config`` describes; it maps ``[batch, n_leads, n_samples]`` to logits."""
    arch = config.get("arch")
    full = network_config(str(arch), **{k: v for k, v in config.items() if k != "arch"})
    if arch == "code":
        return CodeResNet1d(full, n_leads, n_samples, n_classes)
    return XResNet1d(full, n_leads, n_classes)


class SamePadConv1d(nn.Sequential):
    """Conv1d whose output length is ``ceil(length / stride)`` for any (even) kernel size."""

    def __init__(self, c_in: int, c_out: int, kernel_size: int, stride: int = 1) -> None:
        total = max(kernel_size - stride, 0)
        super().__init__(
            nn.ConstantPad1d((total // 2, total - total // 2), 0.0),
            nn.Conv1d(c_in, c_out, kernel_size, stride=stride, bias=False),
        )


class CodeResidualBlock(nn.Module):
    """One CODE block: conv-BN-ReLU-dropout-conv(stride) added to a pooled, projected skip."""

    def __init__(self, c_in: int, c_out: int, kernel_size: int, down: int, dropout: float):
        super().__init__()
        self.conv1 = SamePadConv1d(c_in, c_out, kernel_size)
        self.bn1 = nn.BatchNorm1d(c_out)
        self.relu = nn.ReLU()
        self.drop1 = nn.Dropout(dropout)
        self.conv2 = SamePadConv1d(c_out, c_out, kernel_size, stride=down)
        skip: list[nn.Module] = []
        if down > 1:
            skip.append(nn.MaxPool1d(down, stride=down))
        if c_in != c_out:
            skip.append(nn.Conv1d(c_in, c_out, 1, bias=False))
        self.skip = nn.Sequential(*skip)
        self.bn2 = nn.BatchNorm1d(c_out)
        self.drop2 = nn.Dropout(dropout)

    def forward(self, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
        """``x``: the block input; ``y``: the running skip signal (pre-activation ResNet)."""
        y = self.skip(y)
        x = self.drop1(self.relu(self.bn1(self.conv1(x))))
        x = self.conv2(x) + y
        y = x
        x = self.drop2(self.relu(self.bn2(x)))
        return x, y


class CodeResNet1d(nn.Module):
    """The CODE network (Ribeiro et al. 2020) scaled to 100 Hz x 1000 samples."""

    def __init__(self, config: NetworkConfig, n_leads: int, n_samples: int, n_classes: int):
        super().__init__()
        k = int(config["kernel_size"])
        filters: Sequence[int] = config["filters"]
        downs: Sequence[int] = config["downsample"]
        if len(filters) != len(downs):
            raise ValueError("'filters' and 'downsample' need one entry per residual block")
        self.stem = nn.Sequential(
            SamePadConv1d(n_leads, int(config["stem_filters"]), k),
            nn.BatchNorm1d(int(config["stem_filters"])),
            nn.ReLU(),
        )
        blocks = []
        c_in, length = int(config["stem_filters"]), n_samples
        for c_out, down in zip(filters, downs, strict=True):
            if length % down:
                raise ValueError(f"{length} samples do not divide by downsample factor {down}")
            blocks.append(CodeResidualBlock(c_in, c_out, k, down, float(config["dropout"])))
            c_in, length = c_out, length // down
        self.blocks = nn.ModuleList(blocks)
        self.head = nn.Linear(c_in * length, n_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = self.stem(x)
        y = x
        for block in self.blocks:
            x, y = block(x, y)
        out: Tensor = self.head(torch.flatten(x, 1))
        return out


def _conv_bn(c_in: int, c_out: int, k: int, stride: int = 1, act: bool = True) -> nn.Sequential:
    layers: list[nn.Module] = [
        nn.Conv1d(c_in, c_out, k, stride=stride, padding=k // 2, bias=False),
        nn.BatchNorm1d(c_out),
    ]
    if act:
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class XBottleneck(nn.Module):
    """Bottleneck block with a ResNet-D shortcut (avg-pool, then 1x1 conv) and zero-init BN."""

    def __init__(self, c_in: int, width: int, expansion: int, k: int, stride: int):
        super().__init__()
        c_out = width * expansion
        last = _conv_bn(width, c_out, 1, act=False)
        bn = last[1]
        assert isinstance(bn, nn.BatchNorm1d)
        nn.init.zeros_(bn.weight)  # each block starts as the identity
        self.convs = nn.Sequential(
            _conv_bn(c_in, width, 1), _conv_bn(width, width, k, stride=stride), last
        )
        short: list[nn.Module] = []
        if stride > 1:
            short.append(nn.AvgPool1d(stride, stride=stride, ceil_mode=True))
        if c_in != c_out:
            short.append(_conv_bn(c_in, c_out, 1, act=False))
        self.shortcut = nn.Sequential(*short)
        self.relu = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        out: Tensor = self.relu(self.convs(x) + self.shortcut(x))
        return out


class XResNet1d(nn.Module):
    """xresnet1d (fastai-style, as benchmarked on PTB-XL by Strodthoff et al. 2021)."""

    def __init__(self, config: NetworkConfig, n_leads: int, n_classes: int):
        super().__init__()
        k = int(config["kernel_size"])
        stem: list[nn.Module] = []
        c_in = n_leads
        for i, c in enumerate(config["stem_filters"]):
            stem.append(_conv_bn(c_in, int(c), k, stride=2 if i == 0 else 1))
            c_in = int(c)
        stem.append(nn.MaxPool1d(3, stride=2, padding=1))
        self.stem = nn.Sequential(*stem)
        expansion = int(config["expansion"])
        stages: list[nn.Module] = []
        for i, (width, n_blocks) in enumerate(zip(config["widths"], config["layers"], strict=True)):
            for j in range(int(n_blocks)):
                stride = 2 if (i > 0 and j == 0) else 1
                stages.append(XBottleneck(c_in, int(width), expansion, k, stride))
                c_in = int(width) * expansion
        self.body = nn.Sequential(*stages)
        self.head = nn.Sequential(
            nn.BatchNorm1d(2 * c_in),
            nn.Dropout(float(config["dropout"])),
            nn.Linear(2 * c_in, n_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.body(self.stem(x))
        pooled = torch.cat([x.mean(dim=-1), x.amax(dim=-1)], dim=1)
        out: Tensor = self.head(pooled)
        return out
