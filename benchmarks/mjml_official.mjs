#!/usr/bin/env node
// Times the official MJML compiler (the `mjml` npm package pinned in package.json)
// on a set of .mjml files, so benchmarks/run.py can put mailkit's figures beside it.
//
// Why one process, warm: the question the benchmark answers is "how fast does
// each compiler turn MJML into HTML", not "how fast does Node start". So the
// whole set is compiled in ONE process, after an untimed warm-up (JIT, lazy
// requires, caches), for R timed rounds. Process start-up is measured
// separately (`--single`, and run.py's CLI row), where it is the point.
//
// Why --warmup-ms and a --warmup above 1: V8 needs far more than one round of
// a small set to settle. Measured on 2 cores, a one-screen email took ~50
// compiles to go from 38 ms (first) through 10-20 ms to a steady ~5 ms, so one
// warm-up round reports JIT warm-up, not the compiler. Warm-up runs until BOTH
// --warmup rounds (default 1) and --warmup-ms (default 0) are done; run.py
// asks for about 100 compiles and 2 s.
//
// Usage:
//   node mjml_official.mjs [--rounds R] [--warmup W] [--warmup-ms MS] files.json
//   node mjml_official.mjs [--rounds R] '["a.mjml", "b.mjml"]'
//   node mjml_official.mjs [--rounds R] a.mjml b.mjml
//   echo '["a.mjml"]' | node mjml_official.mjs [--rounds R]
//   node mjml_official.mjs --single a.mjml [--out a.html]
//
//   node mjml_official.mjs --step [--warmup W] [--warmup-ms MS] files.json
//
// Batch mode prints one JSON object on stdout: per-round totals, and per file
// the median, min, max and every sample, in nanoseconds (process.hrtime.bigint()).
// --step warms up, prints {"ready": true}, then runs one round per line read on
// stdin ("round"), printing that round's samples as one JSON line, and prints the
// batch report when stdin closes: run.py takes turns with mailkit round by round,
// so a machine that slows down for a minute slows both sides alike.
// --single compiles one file the way the `mjml` CLI does (its defaults:
// beautify on, minify off, soft validation) in a fresh process and prints how
// long Node start-up, loading mjml and the one compile took.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

// The options the brief fixes for the warm comparison: soft validation like
// mailkit, and no minification (mailkit does not minify either).
const BATCH_OPTIONS = { validationLevel: "soft", minify: false };

// What mjml-cli 5.x passes to mjml-core by default (lib/helpers/defaultOptions.js
// and the beautify/minify configs in lib/client.js), so --single costs what the
// CLI costs.
const CLI_BEAUTIFY_CONFIG = {
  indent_size: 2,
  wrap_attributes_indent_size: 2,
  max_preserve_newline: 0,
  preserve_newlines: false,
  end_with_newline: true,
};
const CLI_MINIFY_CONFIG = {
  collapseWhitespace: true,
  minifyCss: false,
  caseSensitive: true,
  removeEmptyAttributes: true,
};

function usage(message) {
  if (message) process.stderr.write(`mjml_official: ${message}\n`);
  process.stderr.write(
    "usage: node mjml_official.mjs [--rounds R] [--warmup W] [--warmup-ms MS]\n" +
      "                              (files.json | JSON-list | a.mjml ...)\n" +
      "       node mjml_official.mjs --single a.mjml [--out a.html]\n" +
      "       (with no file argument, a JSON list of paths is read from stdin)\n",
  );
  process.exit(2);
}

function parseArgs(argv) {
  const args = {
    rounds: 7, warmup: 1, warmupMs: 0, single: null, out: null, step: false, positional: [],
  };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      i += 1;
      return argv[i];
    };
    if (a === "--rounds") args.rounds = Number.parseInt(value(), 10);
    else if (a === "--warmup") args.warmup = Number.parseInt(value(), 10);
    else if (a === "--warmup-ms") args.warmupMs = Number(value());
    else if (a === "--single") args.single = value();
    else if (a === "--step") args.step = true;
    else if (a === "--out") args.out = value();
    else if (a === "-h" || a === "--help") usage();
    else if (a.startsWith("--")) usage(`unknown option ${a}`);
    else args.positional.push(a);
  }
  if (!Number.isInteger(args.rounds) || args.rounds < 1) usage("--rounds must be >= 1");
  if (!Number.isInteger(args.warmup) || args.warmup < 0) usage("--warmup must be >= 0");
  if (!Number.isFinite(args.warmupMs) || args.warmupMs < 0) usage("--warmup-ms must be >= 0");
  return args;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function parseList(text, where) {
  let list;
  try {
    list = JSON.parse(text);
  } catch (err) {
    usage(`${where} is not JSON: ${err.message}`);
  }
  if (!Array.isArray(list) || !list.every((p) => typeof p === "string")) {
    usage(`${where} must be a JSON list of paths`);
  }
  return list;
}

async function resolveFiles(positional) {
  if (positional.length === 0) return parseList(await readStdin(), "stdin");
  if (positional.length === 1 && positional[0].trimStart().startsWith("[")) {
    return parseList(positional[0], "the argument");
  }
  if (positional.length === 1 && positional[0].endsWith(".json")) {
    return parseList(readFileSync(positional[0], "utf8"), positional[0]);
  }
  return positional;
}

function median(values) {
  // values: bigint[] (nanoseconds); the median of an even count is the mean
  // of the middle two, as Python's statistics.median does, so both halves of
  // the benchmark summarise the same way.
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return Number(sorted[mid]);
  return (Number(sorted[mid - 1]) + Number(sorted[mid])) / 2;
}

function mjmlVersion() {
  return require("mjml/package.json").version;
}

async function loadMjml() {
  // Dynamic import so --single can time the module load on its own.
  const mod = await import("mjml");
  return mod.default;
}

async function runBatch(args) {
  const files = await resolveFiles(args.positional);
  if (files.length === 0) usage("no .mjml files given");
  const sources = files.map((f) => readFileSync(f, "utf8"));
  const mjml2html = await loadMjml();

  const compileAll = async (perFile) => {
    const roundStart = process.hrtime.bigint();
    for (let i = 0; i < sources.length; i += 1) {
      const t0 = process.hrtime.bigint();
      // MJML 5's mjml2html returns a Promise; awaiting it is part of the cost.
      const result = await mjml2html(sources[i], BATCH_OPTIONS);
      const t1 = process.hrtime.bigint();
      if (perFile) perFile[i].push(t1 - t0);
      lastResults[i] = result;
    }
    return process.hrtime.bigint() - roundStart;
  };

  const lastResults = new Array(sources.length);
  const warmStart = process.hrtime.bigint();
  const warmedMs = () => Number(process.hrtime.bigint() - warmStart) / 1e6;
  let warmupRounds = 0;
  while (warmupRounds < args.warmup || warmedMs() < args.warmupMs) {
    await compileAll(null);
    warmupRounds += 1;
  }
  const warmupMs = warmedMs();

  // No forced GC between rounds (`node --expose-gc` + gc()): measured here, a
  // full collection before each round made the next round about 2x slower
  // (V8 drops compiled code and type feedback), the opposite of a fair
  // warm figure. V8's GC is incremental and part of what Node costs.
  const perFile = sources.map(() => []);
  const roundTotals = [];
  if (args.step) {
    process.stdout.write(`${JSON.stringify({ ready: true, warmup_rounds: warmupRounds })}\n`);
    const { createInterface } = await import("node:readline");
    for await (const line of createInterface({ input: process.stdin })) {
      if (line.trim() !== "round") continue;
      const before = perFile.map((samples) => samples.length);
      roundTotals.push(await compileAll(perFile));
      const samples = perFile.map((s, i) => Number(s[before[i]]));
      process.stdout.write(`${JSON.stringify({ round_ns: samples })}\n`);
    }
  } else {
    for (let r = 0; r < args.rounds; r += 1) roundTotals.push(await compileAll(perFile));
  }

  const report = {
    tool: "mjml",
    mjml_version: mjmlVersion(),
    node_version: process.version,
    options: BATCH_OPTIONS,
    rounds: roundTotals.length,
    warmup_rounds: warmupRounds,
    warmup_ms: warmupMs,
    files: files.map((f, i) => ({
      path: f,
      median_ns: median(perFile[i]),
      min_ns: Number(perFile[i].reduce((a, b) => (a < b ? a : b))),
      max_ns: Number(perFile[i].reduce((a, b) => (a > b ? a : b))),
      samples_ns: perFile[i].map(Number),
      html_chars: lastResults[i].html.length,
      errors: lastResults[i].errors.length,
    })),
    round_totals_ns: roundTotals.map(Number),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function runSingle(args) {
  // process.uptime() here is roughly Node's own start-up (before our code ran).
  const startupMs = process.uptime() * 1000;
  const file = path.resolve(args.single);
  const source = readFileSync(file, "utf8");
  const t0 = process.hrtime.bigint();
  const mjml2html = await loadMjml();
  const t1 = process.hrtime.bigint();
  const result = await mjml2html(source, {
    beautify: true,
    minify: false,
    beautifyConfig: CLI_BEAUTIFY_CONFIG,
    minifyConfig: CLI_MINIFY_CONFIG,
    useMjmlConfigOptions: false,
    filePath: file,
    actualPath: file,
  });
  const t2 = process.hrtime.bigint();
  if (args.out) writeFileSync(args.out, result.html);
  const report = {
    tool: "mjml",
    mode: "single (CLI defaults: beautify on, minify off)",
    mjml_version: mjmlVersion(),
    node_version: process.version,
    path: file,
    node_startup_ms: startupMs,
    load_mjml_ms: Number(t1 - t0) / 1e6,
    compile_ms: Number(t2 - t1) / 1e6,
    html_chars: result.html.length,
    errors: result.errors.length,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

const args = parseArgs(process.argv.slice(2));
if (args.single) await runSingle(args);
else await runBatch(args);
