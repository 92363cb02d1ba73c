"""Both architectures build from a config and map [batch, 12, 1000] to [batch, 11]."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from ecgviewer.models.networks import build_network, network_config  # noqa: E402


@pytest.mark.parametrize("arch", ["code", "xresnet1d"])
def test_forward_shape(arch: str) -> None:
    torch.manual_seed(0)
    net = build_network(network_config(arch), 12, 1000, 11).eval()
    with torch.no_grad():
        out = net(torch.randn(2, 12, 1000))
    assert out.shape == (2, 11)
    assert torch.isfinite(out).all()


def test_code_network_has_kernel_16_and_four_residual_blocks() -> None:
    net = build_network(network_config("code"), 12, 1000, 11)
    kernels = {m.kernel_size[0] for m in net.modules() if isinstance(m, torch.nn.Conv1d)}
    assert kernels == {16, 1}
    assert len(net.blocks) == 4


def test_bad_configs_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown architecture"):
        network_config("transformer")
    with pytest.raises(ValueError, match="unknown code settings"):
        network_config("code", width=3)
    with pytest.raises(ValueError, match="do not divide"):
        build_network(network_config("code", downsample=[3, 2, 2, 2]), 12, 1000, 11)
