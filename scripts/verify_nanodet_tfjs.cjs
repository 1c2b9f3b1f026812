// Run NanoDet-g with the official TensorFlow.js runtime (CPU backend, plain
// Node.js) on a float32 input tensor and write its six outputs.
//
// Usage: node scripts/verify_nanodet_tfjs.cjs MODEL_DIR INPUT.bin HEIGHT WIDTH OUT_DIR
//   MODEL_DIR  folder with nanodet.json and nanodet.bin
//   INPUT.bin  raw little-endian float32 [1, 3, HEIGHT, WIDTH]
//   OUT_DIR    receives <output name>.bin (float32) and shapes.json
//
// The graph was exported at 416 x 416 and stores that size in its
// ResizeBilinear nodes and its input signature. For other sizes this script
// rewrites those constants in memory by the same ratio that the PyTorch
// runtime applies, so both runtimes execute the same network.
// scripts/verify_nanodet_tfjs.py installs the npm packages and drives it.
"use strict";

const fs = require("fs");
const path = require("path");

const tf = require("@tensorflow/tfjs-core");
require("@tensorflow/tfjs-backend-cpu");
const converter = require("@tensorflow/tfjs-converter");

const BYTES_PER_ELEMENT = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 };

function weightByteSize(spec) {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const stored = spec.quantization ? spec.quantization.dtype : spec.dtype;
  return count * BYTES_PER_ELEMENT[stored];
}

function loadArtifacts(modelDir, height, width) {
  const spec = JSON.parse(fs.readFileSync(path.join(modelDir, "nanodet.json"), "utf8"));
  const manifest = spec.weightsManifest;
  const buffers = [];
  const weightSpecs = [];
  for (const group of manifest) {
    for (const shard of group.paths) buffers.push(fs.readFileSync(path.join(modelDir, shard)));
    weightSpecs.push(...group.weights);
  }
  const data = Buffer.concat(buffers);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);

  const offsets = {};
  let offset = 0;
  for (const w of weightSpecs) {
    offsets[w.name] = offset;
    offset += weightByteSize(w);
  }

  const nodes = spec.modelTopology.node;
  const placeholder = nodes.find((n) => n.op === "Placeholder");
  const dims = placeholder.attr.shape.shape.dim;
  const exportedH = Number(dims[2].size);
  const exportedW = Number(dims[3].size);
  dims[2].size = String(height);
  dims[3].size = String(width);
  const view = new DataView(weightData);
  for (const node of nodes.filter((n) => n.op === "ResizeBilinear")) {
    const at = offsets[node.input[1]];
    view.setInt32(at, (view.getInt32(at, true) * height) / exportedH, true);
    view.setInt32(at + 4, (view.getInt32(at + 4, true) * width) / exportedW, true);
  }
  if (spec.signature && spec.signature.inputs) {
    for (const input of Object.values(spec.signature.inputs)) {
      input.tensorShape.dim[2].size = String(height);
      input.tensorShape.dim[3].size = String(width);
    }
  }
  return {
    modelTopology: spec.modelTopology,
    format: spec.format,
    generatedBy: spec.generatedBy,
    convertedBy: spec.convertedBy,
    signature: spec.signature,
    weightSpecs,
    weightData,
  };
}

async function main() {
  const [modelDir, inputPath, heightText, widthText, outDir] = process.argv.slice(2);
  if (!outDir) {
    console.error("usage: node verify_nanodet_tfjs.cjs MODEL_DIR INPUT.bin HEIGHT WIDTH OUT_DIR");
    process.exit(2);
  }
  const height = Number(heightText);
  const width = Number(widthText);
  await tf.setBackend("cpu");
  const artifacts = loadArtifacts(modelDir, height, width);
  const model = await converter.loadGraphModel(tf.io.fromMemory(artifacts));

  const raw = fs.readFileSync(inputPath);
  const values = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const input = tf.tensor(values, [1, 3, height, width], "float32");
  const names = model.outputs.map((o) => o.name).sort();
  const outputs = await model.executeAsync(input, names);
  fs.mkdirSync(outDir, { recursive: true });
  const shapes = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i].split(":")[0];
    const data = await outputs[i].data();
    fs.writeFileSync(path.join(outDir, `${name}.bin`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    shapes[name] = outputs[i].shape;
  }
  fs.writeFileSync(path.join(outDir, "shapes.json"), JSON.stringify({ tfjs: tf.version_core, backend: tf.getBackend(), shapes }));
  console.log(`tfjs-core ${tf.version_core} backend ${tf.getBackend()}: ${names.length} outputs written to ${outDir}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
