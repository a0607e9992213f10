"""Independent NumPy port of Hugging Face's SwinModel forward (transformers/models/swin/modeling_swin.py, read
for its structure: torch.roll, window_partition/window_reverse, the img_mask slices, the meshgrid relative
position index, the 0::2 / 1::2 patch merging slices). Writes swin_reference.json: random float64 weights under
mona's local names, an input image, the patch-embedding output and the encoder output.

Run: python3 swin_reference.py   (NumPy only; SwinReferenceTest runs it in a temporary directory)
"""
import json
import math

import numpy as np

rng = np.random.default_rng(20240601)
IMG, PATCH, IN_CH, EMBED, DEPTHS, HEADS, WIN, MLP, EPS = 16, 2, 2, 8, (2, 2), (2, 2), 4, 2.0, 1e-5

params = {}


def p(name, *shape, scale=0.5, offset=0.0):
    params[name] = rng.normal(size=shape) * scale + offset
    return params[name]


def layer_norm(x, name):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * params[name + ".weight"] + params[name + ".bias"]


def linear(x, name):
    y = x @ params[name + ".weight"].T
    return y + params[name + ".bias"] if name + ".bias" in params else y


def gelu(x):
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def window_partition(x, w):  # (B, H, W, C) -> (B*nW, w, w, C)
    b, h, wd, c = x.shape
    x = x.reshape(b, h // w, w, wd // w, w, c).transpose(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, w, w, c)


def window_reverse(windows, w, h, wd):
    c = windows.shape[-1]
    x = windows.reshape(-1, h // w, wd // w, w, w, c).transpose(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, h, wd, c)


def relative_position_index(w):
    coords = np.stack(np.meshgrid(np.arange(w), np.arange(w), indexing="ij"))
    flat = coords.reshape(2, -1)
    rel = (flat[:, :, None] - flat[:, None, :]).transpose(1, 2, 0).copy()
    rel[:, :, 0] += w - 1
    rel[:, :, 1] += w - 1
    rel[:, :, 0] *= 2 * w - 1
    return rel.sum(-1)


def attn_mask(h, wd, w, s):
    img = np.zeros((1, h, wd, 1))
    cnt = 0
    for hs in (slice(0, -w), slice(-w, -s), slice(-s, None)):
        for ws in (slice(0, -w), slice(-w, -s), slice(-s, None)):
            img[:, hs, ws, :] = cnt
            cnt += 1
    mw = window_partition(img, w).reshape(-1, w * w)
    m = mw[:, None, :] - mw[:, :, None]
    return np.where(m != 0, -100.0, 0.0)


def swin_layer(x, prefix, res, heads, shift_cfg):
    b, l, c = x.shape
    w, shift = WIN, shift_cfg
    if res <= WIN:  # set_shift_and_window_size
        w, shift = res, 0
    shortcut = x
    x = layer_norm(x, prefix + "layernorm_before").reshape(b, res, res, c)
    if shift > 0:
        x = np.roll(x, (-shift, -shift), axis=(1, 2))
    win = window_partition(x, w).reshape(-1, w * w, c)
    n = w * w
    d = c // heads

    def split(t):
        return t.reshape(t.shape[0], n, heads, d).transpose(0, 2, 1, 3)

    q = split(linear(win, prefix + "attention.self.query"))
    k = split(linear(win, prefix + "attention.self.key"))
    v = split(linear(win, prefix + "attention.self.value"))
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d)
    table = params[prefix + "attention.self.relative_position_bias_table"]
    bias = table[relative_position_index(w).reshape(-1)].reshape(n, n, heads).transpose(2, 0, 1)
    scores = scores + bias[None]
    if shift > 0:
        mask = attn_mask(res, res, w, shift)
        nw = mask.shape[0]
        scores = scores.reshape(-1, nw, heads, n, n) + mask[None, :, None]
        scores = scores.reshape(-1, heads, n, n)
    scores = scores - scores.max(-1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(-1, keepdims=True)
    ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(-1, n, c)
    out = linear(ctx, prefix + "attention.output.dense").reshape(-1, w, w, c)
    x = window_reverse(out, w, res, res)
    if shift > 0:
        x = np.roll(x, (shift, shift), axis=(1, 2))
    x = shortcut + x.reshape(b, l, c)
    y = linear(gelu(linear(layer_norm(x, prefix + "layernorm_after"), prefix + "intermediate.dense")),
               prefix + "output.dense")
    return x + y


def patch_merging(x, prefix, res):
    b, l, c = x.shape
    x = x.reshape(b, res, res, c)
    x0, x1, x2, x3 = x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]
    x = np.concatenate([x0, x1, x2, x3], -1).reshape(b, -1, 4 * c)
    return linear(layer_norm(x, prefix + "norm"), prefix + "reduction")


# parameters, in mona's declaration order
p("embeddings.patch_embeddings.projection.weight", EMBED, IN_CH, PATCH, PATCH)
p("embeddings.patch_embeddings.projection.bias", EMBED)
p("embeddings.norm.weight", EMBED, scale=0.3, offset=1.0)
p("embeddings.norm.bias", EMBED)
for i, depth in enumerate(DEPTHS):
    c = EMBED * 2 ** i
    hidden = int(round(MLP * c))
    for j in range(depth):
        b = f"encoder.layers.{i}.blocks.{j}."
        p(b + "layernorm_before.weight", c, scale=0.3, offset=1.0)
        p(b + "layernorm_before.bias", c)
        p(b + "attention.self.relative_position_bias_table", (2 * WIN - 1) ** 2, HEADS[i])
        for t in ("query", "key", "value"):
            p(b + f"attention.self.{t}.weight", c, c)
            p(b + f"attention.self.{t}.bias", c)
        p(b + "attention.output.dense.weight", c, c)
        p(b + "attention.output.dense.bias", c)
        p(b + "layernorm_after.weight", c, scale=0.3, offset=1.0)
        p(b + "layernorm_after.bias", c)
        p(b + "intermediate.dense.weight", hidden, c)
        p(b + "intermediate.dense.bias", hidden)
        p(b + "output.dense.weight", c, hidden)
        p(b + "output.dense.bias", c)
    if i < len(DEPTHS) - 1:
        d = f"encoder.layers.{i}.downsample."
        p(d + "reduction.weight", 2 * c, 4 * c)
        p(d + "norm.weight", 4 * c, scale=0.3, offset=1.0)
        p(d + "norm.bias", 4 * c)
p("layernorm.weight", EMBED * 2 ** (len(DEPTHS) - 1), scale=0.3, offset=1.0)
p("layernorm.bias", EMBED * 2 ** (len(DEPTHS) - 1))

image = rng.normal(size=(2, IN_CH, IMG, IMG))
# patch embedding: conv with kernel = stride = PATCH, flatten(2).transpose(1, 2), norm
g = IMG // PATCH
patches = image.reshape(2, IN_CH, g, PATCH, g, PATCH).transpose(0, 2, 4, 1, 3, 5).reshape(2, g * g, -1)
w = params["embeddings.patch_embeddings.projection.weight"].reshape(EMBED, -1)
tokens = layer_norm(patches @ w.T + params["embeddings.patch_embeddings.projection.bias"], "embeddings.norm")

x = tokens
res = g
for i, depth in enumerate(DEPTHS):
    for j in range(depth):
        x = swin_layer(x, f"encoder.layers.{i}.blocks.{j}.", res, HEADS[i], 0 if j % 2 == 0 else WIN // 2)
    if i < len(DEPTHS) - 1:
        x = patch_merging(x, f"encoder.layers.{i}.downsample.", res)
        res //= 2
out = layer_norm(x, "layernorm")

doc = {
    "config": {"imageSize": IMG, "patchSize": PATCH, "inChannels": IN_CH, "embedDim": EMBED,
               "depths": list(DEPTHS), "heads": list(HEADS), "windowSize": WIN, "mlpRatio": MLP, "eps": EPS},
    "params": {k: {"shape": list(v.shape), "data": v.reshape(-1).tolist()} for k, v in params.items()},
    "image": {"shape": list(image.shape), "data": image.reshape(-1).tolist()},
    "tokens": {"shape": list(tokens.shape), "data": tokens.reshape(-1).tolist()},
    "output": {"shape": list(out.shape), "data": out.reshape(-1).tolist()},
}
with open("swin_reference.json", "w") as f:
    json.dump(doc, f)
