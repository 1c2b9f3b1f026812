"""Run a TensorFlow.js graph model (``model.json`` plus weight shards) in PyTorch.

The reader parses the graph topology and the weights manifest with plain
json and numpy, so no TensorFlow is needed. :class:`TfjsGraphModule` then
executes the graph node by node with torch operators. Nodes whose inputs are
all constants are folded once at load time.

Supported operators are the ones that convolutional detectors exported by
``tensorflowjs_converter`` use: Conv2D, _FusedConv2D, (Fused)DepthwiseConv2dNative,
MaxPool, Pad/PadV2, Transpose, Reshape, ConcatV2, SplitV, ResizeBilinear
(half-pixel and legacy), Add/AddV2, Sub, Mul, FloorDiv, FloorMod, Equal,
Cast, Mean, ExpandDims, StridedSlice, TopKV2, GatherV2, LeakyRelu, Relu,
Relu6, Sigmoid, Identity and the constant-only SparseToDense. Anything else
raises :class:`UnsupportedGraphError` at load time.

Graphs exported at a fixed input size keep that size in ResizeBilinear
nodes. The module scales those sizes by the ratio between the actual and the
exported input size, so any input whose sides keep the graph's strides
integral (multiples of 32 for a stride-32 network) runs.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
import torch.nn.functional as F

logger = logging.getLogger(__name__)

_NUMPY_DTYPES = {
    "float32": np.float32,
    "float16": np.float16,
    "int32": np.int32,
    "uint8": np.uint8,
    "uint16": np.uint16,
    "bool": np.bool_,
}


class UnsupportedGraphError(ValueError):
    """The graph uses an operator or attribute this runtime does not implement."""


class GraphFormatError(ValueError):
    """The model.json or a weight shard is malformed or truncated."""


@dataclass(frozen=True)
class GraphNode:
    name: str
    op: str
    inputs: tuple[str, ...]
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GraphModel:
    """A parsed TF.js graph model: nodes in file order and weights by name."""

    nodes: tuple[GraphNode, ...]
    weights: dict[str, np.ndarray]
    input_name: str
    # Placeholder shape as exported, for example (1, 3, 416, 416).
    input_shape: tuple[int, ...]
    output_names: tuple[str, ...]


def _decode_attr(value: dict[str, Any]) -> Any:
    """Convert one TF AttrValue in JSON form to a Python value."""
    if "s" in value:
        return base64.b64decode(value["s"]).decode("ascii")
    if "b" in value:
        return bool(value["b"])
    if "f" in value:
        return float(value["f"])
    if "i" in value:
        return int(value["i"])
    if "list" in value:
        items = value["list"]
        if "i" in items:
            return [int(v) for v in items["i"]]
        if "f" in items:
            return [float(v) for v in items["f"]]
        if "s" in items:
            return [base64.b64decode(v).decode("ascii") for v in items["s"]]
        return []
    if "type" in value:
        return value["type"]
    if "shape" in value:
        dims = value["shape"].get("dim", [])
        return tuple(int(d.get("size", -1)) for d in dims)
    return None


def _read_weights(manifest: list[dict[str, Any]], shard_dir: Path) -> dict[str, np.ndarray]:
    """Read every weight of the manifest; fp16/uint8 quantised ones become float32."""
    weights: dict[str, np.ndarray] = {}
    for group in manifest:
        data = b"".join((shard_dir / path).read_bytes() for path in group["paths"])
        offset = 0
        for spec in group["weights"]:
            shape = [int(s) for s in spec["shape"]]
            count = int(np.prod(shape)) if shape else 1
            quant = spec.get("quantization")
            stored = np.dtype(_NUMPY_DTYPES[quant["dtype"] if quant else spec["dtype"]])
            size = count * stored.itemsize
            if offset + size > len(data):
                raise GraphFormatError(
                    f"weight {spec['name']!r} needs bytes {offset}..{offset + size} but the shards "
                    f"{group['paths']} hold {len(data)} bytes; the weight files are truncated or do not match model.json"
                )
            array = np.frombuffer(data, dtype=stored, count=count, offset=offset).reshape(shape)
            offset += size
            if quant and quant["dtype"] != "float16":
                array = array.astype(np.float32) * float(quant["scale"]) + float(quant["min"])
            elif quant:
                array = array.astype(np.float32)
            weights[spec["name"]] = np.array(array)
        if offset != len(data):
            raise GraphFormatError(
                f"weight shards {group['paths']} hold {len(data)} bytes but the manifest describes {offset}; "
                "the weight files do not match model.json"
            )
    return weights


def load_graph_model(model_json: Path) -> GraphModel:
    """Parse ``model_json`` and the weight shards next to it.

    Raises GraphFormatError for malformed JSON, missing shards or sizes that
    do not match the manifest.
    """
    model_json = Path(model_json)
    try:
        spec = json.loads(model_json.read_text(encoding="utf-8"))
        topology = spec["modelTopology"]
        manifest = spec["weightsManifest"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise GraphFormatError(f"{model_json} is not a TensorFlow.js graph model: {exc}") from exc
    try:
        weights = _read_weights(manifest, model_json.parent)
    except (OSError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, GraphFormatError):
            raise
        raise GraphFormatError(f"cannot read the weights of {model_json}: {exc}") from exc

    nodes = []
    input_name, input_shape = "", ()
    for raw in topology["node"]:
        attrs = {k: _decode_attr(v) for k, v in raw.get("attr", {}).items()}
        node = GraphNode(raw["name"], raw["op"], tuple(raw.get("input", [])), attrs)
        nodes.append(node)
        if node.op == "Placeholder":
            input_name, input_shape = node.name, tuple(attrs.get("shape", ()))
    if not input_name:
        raise GraphFormatError(f"{model_json} has no Placeholder input node")

    outputs = spec.get("signature", {}).get("outputs", {})
    output_names = tuple(sorted(name.split(":")[0] for name in outputs))
    if not output_names:
        output_names = tuple(n.name for n in nodes if n.op == "Identity")
    return GraphModel(tuple(nodes), weights, input_name, input_shape, output_names)


def _tensor_name(ref: str) -> str:
    """Normalise an input reference: 'node' and 'node:0' name the same tensor."""
    if ref.endswith(":0"):
        return ref[:-2]
    return ref


def _same_padding(size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """TensorFlow's SAME padding (more on the end side when odd)."""
    effective = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


class TfjsGraphModule(torch.nn.Module):
    """A TF.js graph model as a torch module taking the graph's input tensor.

    ``forward(x)`` takes the input in the layout the graph expects (for the
    NanoDet export: float32 NCHW) and returns the graph outputs in
    ``GraphModel.output_names`` order. ``input_layout`` ("NCHW" or "NHWC")
    names the input's axes; None guesses it from the exported input shape.
    """

    def __init__(self, graph: GraphModel, input_layout: str | None = None) -> None:
        super().__init__()
        self.input_name = graph.input_name
        self.input_shape = graph.input_shape
        self.output_names = graph.output_names
        if input_layout is None:
            # Guess from the exported shape: a last axis of at most 4 after a
            # larger second axis is a channel axis, as in (1, 512, 512, 3).
            shape = self.input_shape
            input_layout = "NHWC" if len(shape) == 4 and shape[-1] <= 4 < shape[1] else "NCHW"
        if input_layout not in ("NHWC", "NCHW"):
            raise ValueError(f"input_layout is {input_layout!r}; use 'NHWC' or 'NCHW'")
        # Height and width axes of the input, for scaling ResizeBilinear sizes.
        self.spatial_axes = (1, 2) if input_layout == "NHWC" else (2, 3)
        self._constants: dict[str, torch.Tensor] = {}
        # (operator, node, input references resolved at run time)
        self._steps: list[tuple[Callable[..., Any], GraphNode, tuple[str, ...]]] = []
        self._conv_params = torch.nn.ParameterDict()
        self._conv_biases = torch.nn.ParameterDict()
        self._build(graph)

    # ----------------------------------------------------------------- build

    def _build(self, graph: GraphModel) -> None:
        constant_values: dict[str, np.ndarray] = dict(graph.weights)
        for node in graph.nodes:
            if node.op == "Const":
                if node.name not in constant_values:
                    raise GraphFormatError(f"constant {node.name!r} is missing from the weights manifest")
                continue
            if node.op == "Placeholder":
                continue
            inputs = [_tensor_name(i) for i in node.inputs]
            if all(i in constant_values for i in inputs) and node.op in _CONSTANT_FOLDERS:
                constant_values[node.name] = _CONSTANT_FOLDERS[node.op](node, [constant_values[i] for i in inputs])
                continue
            handler = _OPS.get(node.op)
            if handler is None:
                raise UnsupportedGraphError(f"operator {node.op} (node {node.name!r}) is not supported")
            refs = node.inputs
            if node.op in _CONVOLUTIONS:
                # Filter and fused bias become parameters; only the data input is looked up.
                self._register_conv(node, [constant_values[name] for name in inputs[1:]])
                refs = node.inputs[:1]
            self._steps.append((handler, node, refs))
        self._fold_conv_biases(constant_values, graph.output_names)

        used = {_tensor_name(ref) for _, _, refs in self._steps for ref in refs}
        for name in used:
            if name in constant_values:
                self._constants[name] = torch.from_numpy(np.ascontiguousarray(constant_values[name]))
        self._int_constants = {k: v.tolist() for k, v in self._constants.items() if not v.is_floating_point()}

    def _fold_conv_biases(self, constant_values: dict[str, np.ndarray], output_names: tuple[str, ...]) -> None:
        """Move ``Add(Conv2D(x), bias)`` into the convolution's own bias.

        The exporter writes every bias as a separate Add. Folding it saves one
        elementwise pass per convolution and leaves the Add as an alias.
        """
        consumers: dict[str, int] = {name: 1 for name in output_names}
        for _, _, refs in self._steps:
            for ref in refs:
                consumers[_tensor_name(ref)] = consumers.get(_tensor_name(ref), 0) + 1
        convolutions = {node.name for _, node, _ in self._steps if node.op == "Conv2D"}
        for index, (handler, node, refs) in enumerate(self._steps):
            if node.op not in ("Add", "AddV2") or len(refs) != 2:
                continue
            source, bias_name = (_tensor_name(r) for r in refs)
            if source not in convolutions:
                source, bias_name = bias_name, source
            bias = constant_values.get(bias_name)
            weight = self._conv_params[_param_key(source)] if source in convolutions else None
            if (
                weight is None
                or consumers.get(source) != 1
                or bias is None
                or bias.ndim != 1
                or bias.dtype != np.float32
                or bias.shape[0] != weight.shape[0]
                or _param_key(source) in self._conv_biases
            ):
                continue
            self._conv_biases[_param_key(source)] = torch.nn.Parameter(torch.from_numpy(bias.copy()), requires_grad=False)
            self._steps[index] = (_op_identity, node, (source,))

    def _register_conv(self, node: GraphNode, constants: list[np.ndarray]) -> None:
        """Store the filter as an OIHW parameter so forward needs no transpose.

        ``constants`` are the filter (HWIO, or HW-C-multiplier for depthwise
        convolutions) and, for fused convolutions, the bias.
        """
        filter_hwio = constants[0]
        if node.op in ("DepthwiseConv2dNative", "FusedDepthwiseConv2dNative"):
            height, width, channels, multiplier = filter_hwio.shape
            # Depthwise filters become a grouped convolution with one group per input channel.
            filter_hwio = filter_hwio.reshape(height, width, 1, channels * multiplier)
        weight = torch.from_numpy(np.ascontiguousarray(filter_hwio.transpose(3, 2, 0, 1)))
        key = _param_key(node.name)
        self._conv_params[key] = torch.nn.Parameter(weight, requires_grad=False)
        fused = node.attrs.get("fused_ops", [])
        if node.op.startswith("Fused") or node.op == "_FusedConv2D":
            if not fused or fused[0] != "BiasAdd" or len(fused) > 2 or (len(fused) == 2 and fused[1] not in _FUSED_ACTIVATIONS):
                raise UnsupportedGraphError(f"fused_ops {fused} of node {node.name!r} are not supported")
            bias = torch.from_numpy(np.ascontiguousarray(constants[1], dtype=np.float32))
            self._conv_biases[key] = torch.nn.Parameter(bias, requires_grad=False)

    # --------------------------------------------------------------- forward

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Run the graph on ``x`` and return its outputs as a list of tensors."""
        env: dict[str, torch.Tensor] = {self.input_name: x}
        # (actual, exported) input height and width, for ResizeBilinear.
        h_axis, w_axis = self.spatial_axes
        scale = ((int(x.shape[h_axis]), self.input_shape[h_axis]), (int(x.shape[w_axis]), self.input_shape[w_axis]))
        for handler, node, refs in self._steps:
            args = [self._value(env, ref) for ref in refs]
            result = handler(self, node, args, scale)
            if isinstance(result, (list, tuple)):
                env[node.name] = result[0]
                for index, item in enumerate(result):
                    env[f"{node.name}:{index}"] = item
            else:
                env[node.name] = result
        return [env[name] for name in self.output_names]

    def _value(self, env: dict[str, torch.Tensor], ref: str) -> Any:
        name = _tensor_name(ref)
        if name in env:
            return env[name]
        if name in self._int_constants:
            return self._int_constants[name]
        return self._constants[name]


def _param_key(node_name: str) -> str:
    return node_name.replace("/", "__").replace(".", "_")


# ------------------------------------------------------------ torch operators


def _scalar(value: Any) -> int:
    """Return the int of a constant stored as a scalar or a one-element list."""
    while isinstance(value, list):
        value = value[0]
    return int(value)


def _op_identity(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return args[0]


def _tensor(value: Any) -> torch.Tensor:
    """Return ``value`` as a tensor; int constants are kept as lists for shape arguments."""
    if isinstance(value, torch.Tensor):
        return value
    return torch.tensor(value)


def _op_add(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return _tensor(args[0]) + _tensor(args[1])


def _op_sub(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return _tensor(args[0]) - _tensor(args[1])


def _op_mul(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return _tensor(args[0]) * _tensor(args[1])


def _op_floor_div(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return torch.div(_tensor(args[0]), _tensor(args[1]), rounding_mode="floor")


def _op_floor_mod(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return torch.remainder(_tensor(args[0]), _tensor(args[1]))


def _op_equal(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return _tensor(args[0]) == _tensor(args[1])


_CAST_TYPES = {"DT_FLOAT": torch.float32, "DT_INT32": torch.int32, "DT_INT64": torch.int64, "DT_BOOL": torch.bool}


def _op_cast(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    target = node.attrs.get("DstT")
    if target not in _CAST_TYPES:
        raise UnsupportedGraphError(f"Cast to {target} (node {node.name!r}) is not supported")
    return _tensor(args[0]).to(_CAST_TYPES[target])


def _op_relu6(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return torch.clamp(args[0], 0.0, 6.0)


def _axes(value: Any, rank: int) -> list[int]:
    axes = value if isinstance(value, list) else [value]
    return [int(axis) % rank for axis in axes]


def _op_mean(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    axes = _axes(args[1], args[0].dim())
    return torch.mean(args[0], dim=axes, keepdim=bool(node.attrs.get("keep_dims", False)))


def _op_expand_dims(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    tensor = _tensor(args[0])
    return tensor.unsqueeze(_scalar(args[1]) % (tensor.dim() + 1))


def _op_top_k(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> tuple[torch.Tensor, torch.Tensor]:
    values, indices = torch.topk(args[0], _scalar(args[1]), dim=-1, largest=True, sorted=True)
    return values, indices.to(torch.int32)


def _op_gather(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    if node.attrs.get("batch_dims", 0):
        raise UnsupportedGraphError(f"GatherV2 with batch_dims (node {node.name!r}) is not supported")
    params, indices = _tensor(args[0]), _tensor(args[1]).long()
    axis = _scalar(args[2]) % params.dim()
    picked = params.index_select(axis, indices.reshape(-1))
    return picked.reshape(*params.shape[:axis], *indices.shape, *params.shape[axis + 1 :])


def _op_strided_slice(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    """TF StridedSlice with begin, end and shrink-axis masks (no ellipsis or new axes)."""
    if node.attrs.get("ellipsis_mask", 0) or node.attrs.get("new_axis_mask", 0):
        raise UnsupportedGraphError(f"StridedSlice with ellipsis or new axes (node {node.name!r}) is not supported")
    tensor = _tensor(args[0])
    begin, end, strides = (list(a) if isinstance(a, list) else _tensor(a).tolist() for a in args[1:4])
    begin_mask, end_mask = node.attrs.get("begin_mask", 0), node.attrs.get("end_mask", 0)
    shrink_mask = node.attrs.get("shrink_axis_mask", 0)
    index: list[Any] = []
    for axis, (start, stop, step) in enumerate(zip(begin, end, strides)):
        if shrink_mask & (1 << axis):
            index.append(start)
            continue
        index.append(slice(None if begin_mask & (1 << axis) else start, None if end_mask & (1 << axis) else stop, step))
    return tensor[tuple(index)]


def _op_transpose(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return args[0].permute(*args[1])


def _op_reshape(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return args[0].reshape(args[1])


def _op_leaky_relu(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return F.leaky_relu(args[0], node.attrs.get("alpha", 0.2))


def _op_relu(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return F.relu(args[0])


def _op_sigmoid(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return torch.sigmoid(args[0])


def _op_concat(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    return torch.cat(args[:-1], dim=_scalar(args[-1]))


def _op_split(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> tuple[torch.Tensor, ...]:
    sizes, dim = list(args[1]), _scalar(args[2])
    if -1 in sizes:
        known = sum(s for s in sizes if s != -1)
        sizes[sizes.index(-1)] = args[0].shape[dim] - known
    return torch.split(args[0], sizes, dim=dim)


def _pad_pairs_to_torch(pairs: list[list[int]]) -> list[int]:
    """TF paddings [[before, after]] per dim, first dim first -> F.pad order."""
    flat: list[int] = []
    for before, after in reversed(pairs):
        flat.extend((int(before), int(after)))
    return flat


def _op_pad(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    value = 0.0
    if len(args) > 2:
        fill = args[2]
        value = float(fill.item() if isinstance(fill, torch.Tensor) else fill)
    return F.pad(args[0], _pad_pairs_to_torch(args[1]), mode="constant", value=value)


def _nhwc(node: GraphNode) -> bool:
    layout = node.attrs.get("data_format", "NHWC")
    if layout not in ("NHWC", "NCHW"):
        raise UnsupportedGraphError(f"data_format {layout} of node {node.name!r} is not supported")
    return layout == "NHWC"


def _spatial(values: list[int], nhwc: bool) -> tuple[int, int]:
    return (values[1], values[2]) if nhwc else (values[2], values[3])


_FUSED_ACTIVATIONS: dict[str, Callable[[torch.Tensor, GraphNode], torch.Tensor]] = {
    "Relu": lambda x, node: F.relu(x),
    "Relu6": lambda x, node: torch.clamp(x, 0.0, 6.0),
    "LeakyRelu": lambda x, node: F.leaky_relu(x, node.attrs.get("leakyrelu_alpha", 0.2)),
    "Sigmoid": lambda x, node: torch.sigmoid(x),
}


def _op_conv2d(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    nhwc = _nhwc(node)
    x = args[0].permute(0, 3, 1, 2) if nhwc else args[0]
    key = _param_key(node.name)
    weight = module._conv_params[key]
    bias = module._conv_biases[key] if key in module._conv_biases else None
    stride = _spatial(node.attrs.get("strides", [1, 1, 1, 1]), nhwc)
    dilation = _spatial(node.attrs.get("dilations", [1, 1, 1, 1]), nhwc)
    groups = x.shape[1] // weight.shape[1]
    padding = node.attrs.get("padding", "VALID")
    if padding == "SAME":
        top, bottom = _same_padding(x.shape[2], weight.shape[2], stride[0], dilation[0])
        left, right = _same_padding(x.shape[3], weight.shape[3], stride[1], dilation[1])
        x = F.pad(x, [left, right, top, bottom])
    elif padding != "VALID":
        raise UnsupportedGraphError(f"padding {padding} of node {node.name!r} is not supported")
    y = F.conv2d(x, weight, bias, stride, 0, dilation, groups)
    fused = node.attrs.get("fused_ops", [])
    if len(fused) > 1:
        y = _FUSED_ACTIVATIONS[fused[1]](y, node)
    return y.permute(0, 2, 3, 1) if nhwc else y


def _op_max_pool(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    nhwc = _nhwc(node)
    x = args[0].permute(0, 3, 1, 2) if nhwc else args[0]
    kernel = _spatial(node.attrs["ksize"], nhwc)
    stride = _spatial(node.attrs["strides"], nhwc)
    padding = node.attrs.get("padding", "VALID")
    if padding == "SAME":
        top, bottom = _same_padding(x.shape[2], kernel[0], stride[0], 1)
        left, right = _same_padding(x.shape[3], kernel[1], stride[1], 1)
        x = F.pad(x, [left, right, top, bottom], value=float("-inf"))
    # PyTorch's CPU max pooling is several times faster on channels-last memory.
    y = F.max_pool2d(x.contiguous(memory_format=torch.channels_last), kernel, stride)
    return y.permute(0, 2, 3, 1) if nhwc else y


def _op_resize_bilinear(module: TfjsGraphModule, node: GraphNode, args: list[Any], scale: Any) -> torch.Tensor:
    # The exported size is only right for the exported input size; scale it
    # with the actual input so other sizes keep the feature pyramid aligned.
    (actual_h, graph_h), (actual_w, graph_w) = scale
    exported_h, exported_w = args[1]
    if (exported_h * actual_h) % graph_h or (exported_w * actual_w) % graph_w:
        raise ValueError(
            f"input size {actual_h}x{actual_w} gives a fractional output size at node {node.name!r}; "
            "use input sides that are multiples of 32"
        )
    height = exported_h * actual_h // graph_h
    width = exported_w * actual_w // graph_w
    align = bool(node.attrs.get("align_corners", False))
    x = args[0].permute(0, 3, 1, 2)
    if align or node.attrs.get("half_pixel_centers", False):
        y = F.interpolate(x, size=(int(height), int(width)), mode="bilinear", align_corners=align)
    else:
        y = _resize_bilinear_asymmetric(x, int(height), int(width))
    return y.permute(0, 2, 3, 1)


def _resize_bilinear_asymmetric(x: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """TF's legacy bilinear resize: source = destination * in / out, no half-pixel offset."""

    def weights(size_in: int, size_out: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        source = torch.arange(size_out, dtype=torch.float32) * (size_in / size_out)
        low = source.floor().long().clamp(max=size_in - 1)
        high = (low + 1).clamp(max=size_in - 1)
        return low, high, source - low.to(torch.float32)

    top, bottom, dy = weights(x.shape[2], height)
    left, right, dx = weights(x.shape[3], width)
    upper = x.index_select(2, top)
    lower = x.index_select(2, bottom)
    rows = upper + (lower - upper) * dy[None, None, :, None]
    first = rows.index_select(3, left)
    second = rows.index_select(3, right)
    return first + (second - first) * dx[None, None, None, :]


_CONVOLUTIONS = ("Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative")

_OPS: dict[str, Callable[..., Any]] = {
    "Identity": _op_identity,
    "Add": _op_add,
    "AddV2": _op_add,
    "Transpose": _op_transpose,
    "Reshape": _op_reshape,
    "LeakyRelu": _op_leaky_relu,
    "Relu": _op_relu,
    "Sigmoid": _op_sigmoid,
    "ConcatV2": _op_concat,
    "SplitV": _op_split,
    "Pad": _op_pad,
    "PadV2": _op_pad,
    "Conv2D": _op_conv2d,
    "_FusedConv2D": _op_conv2d,
    "DepthwiseConv2dNative": _op_conv2d,
    "FusedDepthwiseConv2dNative": _op_conv2d,
    "Sub": _op_sub,
    "Mul": _op_mul,
    "FloorDiv": _op_floor_div,
    "FloorMod": _op_floor_mod,
    "Equal": _op_equal,
    "Cast": _op_cast,
    "Relu6": _op_relu6,
    "Mean": _op_mean,
    "ExpandDims": _op_expand_dims,
    "TopKV2": _op_top_k,
    "GatherV2": _op_gather,
    "StridedSlice": _op_strided_slice,
    "MaxPool": _op_max_pool,
    "ResizeBilinear": _op_resize_bilinear,
}


# ------------------------------------------------- load-time constant folding


def _fold_sparse_to_dense(node: GraphNode, args: list[np.ndarray]) -> np.ndarray:
    indices, shape, values, default = args
    dense = np.full(shape.astype(np.int64), default, dtype=np.asarray(default).dtype)
    if indices.size:
        dense[tuple(np.asarray(indices).reshape(-1, dense.ndim).T)] = values
    return dense


def _fold_add(node: GraphNode, args: list[np.ndarray]) -> np.ndarray:
    return np.asarray(args[0] + args[1])


def _fold_identity(node: GraphNode, args: list[np.ndarray]) -> np.ndarray:
    return args[0]


_CONSTANT_FOLDERS: dict[str, Callable[[GraphNode, list[np.ndarray]], np.ndarray]] = {
    "SparseToDense": _fold_sparse_to_dense,
    "Add": _fold_add,
    "AddV2": _fold_add,
    "Identity": _fold_identity,
}
