#!/usr/bin/env node
'use strict';
// Runs the real @rongcloud/engine through the scenario set and writes each
// scenario's trace (connsim JSON Lines).
//
//   node run.js                       every scenario, traces to golden/
//   node run.js --out DIR [NAME...]   the named scenarios (default all) to DIR
//   node run.js --list                scenario names, one per line
//   node run.js --manifest            the scenarios as JSON: name, desc, model
//   node run.js --one NAME [--raw] [--verbose]
//                                     one scenario in this process, trace (or
//                                     the raw harness log) on stdout
//
// Each scenario runs in its own Node process: the engine keeps module-level
// state (its context singleton, navigation cache), so scenarios must not
// share one. A scenario takes well under a second of wall time whatever its
// virtual length; as many run at once as there are cores.

const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { spawn } = require('node:child_process');
const { scenarios, NAVI_TTL_MS } = require('./harness/scenarios');

const LATENCY_MS = 50; // one-way latency of the fake network, as the model's default

function usage(msg) {
  process.stderr.write(`run.js: ${msg}\nusage: node run.js [--out DIR] [NAME...] | --list | --one NAME [--raw] [--verbose]\n`);
  process.exit(2);
}

// runUntil fires the fake timers one by one up to virtual time horizon (ms
// since the start), letting every promise the engine chains settle after
// each timer (world.settle: setImmediate is real and runs only once the
// microtask queue is empty). Timers due at the same time fire in the order
// they were set.
async function runUntil(world, horizon) {
  const { clock } = world;
  const { EPOCH } = require('./harness/env');
  let done = false;
  clock.setTimeout(() => { done = true; }, horizon - (clock.now - EPOCH));
  await world.settle();
  while (!done) {
    clock.next();
    await world.settle();
  }
}

async function runOne(sc, { raw, verbose }) {
  const { createWorld, naviAnswer, EPOCH } = require('./harness/env');
  const { convert } = require('./harness/convert');
  const events = [];
  const world = createWorld({ latencyMs: LATENCY_MS, seed: 1, log: (e) => events.push(e) });
  const mute = () => {};
  for (const k of ['log', 'info', 'warn', 'error', 'debug']) console[k] = verbose ? (...a) => process.stderr.write(a.join(' ') + '\n') : mute;
  const E = require('@rongcloud/engine');
  if (sc.servers) world.server.servers = sc.servers;
  if (sc.setup) sc.setup(world.server);
  // A returning user: the navigation answer of an earlier visit is in the
  // engine's cache (2 h), so a connect goes straight to the WebSocket, as
  // the model's attempt does. Scenarios with coldNavi start with no cache;
  // naviAgeMs is the cached answer's age at time 0 (default 0).
  if (!sc.coldNavi) {
    const naviInfo = { ...naviAnswer(world.server.servers), protocol: 'http' };
    localStorage.setItem('navi_appkey0', JSON.stringify([{ timestamp: EPOCH - (sc.naviAgeMs || 0), naviInfo, token: 'token0', environment: 'default' }]));
  }

  world.emit({ ev: 'call', op: 'init' });
  const ctx = E.APIContext.init({ appkey: 'appkey0', navigators: ['http://nav.test'], logOutputLevel: verbose ? 4 : 1 });
  world.emit({ ev: 'call', op: 'add_listener' });
  ctx.assignWatcher({ connection: (status, code) => world.emit({ ev: 'status', status, code: code === undefined ? 0 : code }) });

  let calls = 0;
  const app = {
    connect() {
      const call = ++calls;
      world.emit({ ev: 'call', op: 'connect', call });
      ctx.connect('token0', false).then((r) => world.emit({ ev: 'result', call, code: r.code }));
    },
    disconnect() {
      world.emit({ ev: 'call', op: 'disconnect' });
      world.server.appDisconnect = true;
      ctx.disconnect(false, false).then(() => { world.server.appDisconnect = false; world.emit({ ev: 'disconnected' }); });
    },
  };
  for (const [at, action] of sc.script) {
    setTimeout(() => {
      if (typeof action === 'function') action(world);
      else if (app[action]) app[action]();
      else if (world.act[action]) world.act[action]();
      else throw new Error(`${sc.name}: unknown action ${action}`);
    }, at);
  }
  await runUntil(world, sc.horizon);
  world.emit({ ev: 'end' });
  world.clock.uninstall();
  const out = raw ? events.map((e) => JSON.stringify(e)) : convert(events);
  process.stdout.write(out.join('\n') + '\n');
  // The engine leaves real handles (none expected) or fake timers behind:
  // this process exists for one scenario, so end it.
  process.exit(0);
}

// modelArgs returns a scenario's `sim trace` arguments (null: the model
// has no input for it): what the harness's setup implies for the
// attempt's anatomy, then the scenario's own. The engine's cache holds an
// earlier visit's answer unless coldNavi (a returning visit), naviAgeMs
// old (the model's cache then lives the engine's 2 h less that age); the
// navigation answer lists the scenario's servers.
function modelArgs(sc) {
  if (sc.model === null) return null;
  const a = [];
  if (!sc.coldNavi) a.push('--visit returning');
  if (sc.naviAgeMs) a.push(`--navi-ttl ${(NAVI_TTL_MS - sc.naviAgeMs) / 1000}s`);
  if (sc.servers && sc.servers.length > 1) a.push(`--servers ${sc.servers.length}`);
  a.push(sc.model);
  return a.join(' ');
}

function main(argv) {
  if (argv[0] === '--list') {
    process.stdout.write(scenarios.map((s) => s.name).join('\n') + '\n');
    return;
  }
  if (argv[0] === '--manifest') {
    const m = scenarios.map((s) => ({ name: s.name, desc: s.desc, model: modelArgs(s), horizon_ms: s.horizon }));
    process.stdout.write(JSON.stringify(m, null, 1) + '\n');
    return;
  }
  if (argv[0] === '--one') {
    const sc = scenarios.find((s) => s.name === argv[1]);
    if (!sc) usage(`unknown scenario ${JSON.stringify(argv[1])}`);
    runOne(sc, { raw: argv.includes('--raw'), verbose: argv.includes('--verbose') }).catch((e) => {
      process.stderr.write(`run.js: ${sc.name}: ${e.stack || e}\n`);
      process.exit(1);
    });
    return;
  }
  let out = path.join(__dirname, 'golden');
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') { out = argv[++i]; if (!out) usage('--out needs a directory'); } else if (argv[i].startsWith('-')) usage(`unknown flag ${argv[i]}`);
    else names.push(argv[i]);
  }
  const chosen = names.length ? names.map((n) => scenarios.find((s) => s.name === n) || usage(`unknown scenario ${JSON.stringify(n)}`)) : scenarios;
  fs.mkdirSync(out, { recursive: true });
  return runEach(chosen, out).then((failed) => { if (failed) process.exit(1); });
}

// runEach runs each scenario in its own Node process, as many at once as
// there are cores (each trace depends only on its scenario), writes each
// trace to out, and resolves to the number of scenarios that failed.
async function runEach(chosen, out) {
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const sc = chosen[next++];
      const r = await runChild(sc.name);
      if (r.status !== 0) {
        process.stderr.write(`run.js: scenario ${sc.name} failed (exit ${r.status}${r.signal ? ', ' + r.signal : ''}):\n${r.stderr}`);
        failed++;
        continue;
      }
      fs.writeFileSync(path.join(out, `${sc.name}.jsonl`), r.stdout);
    }
  };
  const n = Math.max(1, Math.min(chosen.length, os.availableParallelism()));
  await Promise.all(Array.from({ length: n }, worker));
  return failed;
}

// runChild runs `node run.js --one NAME` and resolves to its exit status,
// signal, stdout and stderr (killed after 60 s).
function runChild(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [__filename, '--one', name], { cwd: __dirname, timeout: 60000 });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (b) => stdout.push(b));
    child.stderr.on('data', (b) => stderr.push(b));
    child.on('error', (e) => stderr.push(Buffer.from(String(e))));
    child.on('close', (status, signal) => resolve({
      status, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'),
    }));
  });
}

main(process.argv.slice(2));
