'use strict';
// Tests of the converter (harness/convert.js) on hand-written raw logs:
// each case is what the harness would log, and the trace lines it must give.
const test = require('node:test');
const assert = require('node:assert/strict');
const { convert, statusName, seconds, withMisses } = require('../harness/convert');

const strip = (lines) => lines.map((l) => l.replace(',"dev":0', ''));

test('seconds: shortest decimal of whole ms, like Go strconv f -1', () => {
  assert.equal(seconds(0), '0');
  assert.equal(seconds(200), '0.2');
  assert.equal(seconds(1), '0.001');
  assert.equal(seconds(45301), '45.301');
  assert.equal(seconds(60000), '60');
  assert.throws(() => seconds(1.5));
  assert.throws(() => seconds(-1));
});

test('statusName: the engine\'s RCConnectionStatus, as the web profile publishes it', () => {
  assert.equal(statusName(0), 'CONNECTED');
  assert.equal(statusName(1), 'CONNECTING');
  assert.equal(statusName(2), 'DISCONNECTED');
  assert.equal(statusName(3), 'SUSPENDED');
  assert.throws(() => statusName(7));
});

test('a first connect: attempt from the navigation request to the CONNACK, its steps', () => {
  const raw = [
    { t: 0, ev: 'call', op: 'connect', call: 1 },
    { t: 0, ev: 'status', status: 1, code: 0 },
    { t: 0, ev: 'navi', phase: 'start' },
    { t: 100, ev: 'navi', phase: 'ok' },
    { t: 100, ev: 'ws', phase: 'new', id: 1, host: 'im.test:80' },
    { t: 200, ev: 'ws', phase: 'tcp', id: 1 },
    { t: 250, ev: 'session', op: 'open', seq: 1 },
    { t: 300, ev: 'ws', phase: 'open', id: 1 },
    { t: 300, ev: 'ws', phase: 'connack', id: 1, status: 0 },
    { t: 300, ev: 'status', status: 0, code: 0 },
    { t: 300, ev: 'result', call: 1, code: 0 },
    { t: 1000, ev: 'end' },
  ];
  assert.deepEqual(strip(convert(raw)), [
    '{"t":0,"kind":"call","op":"connect","call":1,"token":0,"time_limit":0}',
    '{"t":0,"kind":"status","status":"CONNECTING","value":1,"from":"DISCONNECTED","from_value":2,"listeners":1}',
    '{"t":0,"kind":"attempt","n":1,"phase":"start","reason":"connect","streak":0,"auto":false,"seq":1}',
    '{"t":0,"kind":"attempt","n":1,"phase":"step","reason":"navi","streak":0,"auto":false,"seq":1}',
    '{"t":0.1,"kind":"attempt","n":1,"phase":"step","reason":"socket","streak":0,"auto":false,"seq":1}',
    '{"t":0.2,"kind":"attempt","n":1,"phase":"step","reason":"auth","streak":0,"auto":false,"seq":1}',
    '{"t":0.25,"kind":"session","op":"open","user":0,"platform":"web","seq":1}',
    '{"t":0.3,"kind":"attempt","n":1,"phase":"ok","reason":"","streak":0,"auto":false,"seq":1}',
    '{"t":0.3,"kind":"status","status":"CONNECTED","value":0,"from":"CONNECTING","from_value":1,"listeners":1}',
    '{"t":0.3,"kind":"callback","name":"onSuccess","code":0,"call":1}',
    '{"t":1,"kind":"end","reason":"horizon"}',
  ]);
});

test('reconnection: lost, a transient failure, a timeout, then success', () => {
  const raw = [
    { t: 0, ev: 'call', op: 'connect', call: 1 },
    { t: 0, ev: 'status', status: 1, code: 0 },
    { t: 0, ev: 'ws', phase: 'new', id: 1 },
    { t: 100, ev: 'ws', phase: 'connack', id: 1, status: 0 },
    { t: 100, ev: 'status', status: 0, code: 0 },
    { t: 100, ev: 'result', call: 1, code: 0 },
    { t: 5000, ev: 'status', status: 3, code: 30011 },
    { t: 5000, ev: 'status', status: 1, code: 30011 },
    { t: 5000, ev: 'ws', phase: 'new', id: 2 },
    { t: 5100, ev: 'ws', phase: 'error', id: 2 },
    { t: 5100, ev: 'status', status: 3, code: 35008 },
    { t: 10100, ev: 'status', status: 1, code: 0 },
    { t: 10100, ev: 'ws', phase: 'new', id: 3 },
    { t: 15100, ev: 'status', status: 3, code: 35008 },
    { t: 20100, ev: 'status', status: 1, code: 0 },
    { t: 20100, ev: 'ws', phase: 'new', id: 4 },
    { t: 20150, ev: 'ws', phase: 'open', id: 4 },
    { t: 20200, ev: 'ws', phase: 'connack', id: 4, status: 0 },
    { t: 20200, ev: 'status', status: 0, code: 0 },
  ];
  const attempts = strip(convert(raw)).filter((l) => (l.includes('"attempt"') && !l.includes('"step"')) || l.includes('"lost"'));
  assert.deepEqual(attempts, [
    '{"t":0,"kind":"attempt","n":1,"phase":"start","reason":"connect","streak":0,"auto":false,"seq":1}',
    '{"t":0.1,"kind":"attempt","n":1,"phase":"ok","reason":"","streak":0,"auto":false,"seq":1}',
    '{"t":5,"kind":"lost","reason":"gone"}',
    '{"t":5,"kind":"attempt","n":2,"phase":"start","reason":"reconnect","streak":0,"auto":true,"seq":2}',
    '{"t":5.1,"kind":"attempt","n":2,"phase":"fail","reason":"unavailable","streak":1,"auto":true,"seq":2}',
    '{"t":10.1,"kind":"attempt","n":3,"phase":"start","reason":"schedule","streak":1,"auto":true,"seq":3}',
    '{"t":15.1,"kind":"attempt","n":3,"phase":"fail","reason":"attempt-timeout","streak":2,"auto":true,"seq":3}',
    '{"t":20.1,"kind":"attempt","n":4,"phase":"start","reason":"schedule","streak":2,"auto":true,"seq":4}',
    '{"t":20.2,"kind":"attempt","n":4,"phase":"ok","reason":"","streak":0,"auto":true,"seq":4}',
  ]);
});

test('a terminal refusal: error with the code, status by code, onError', () => {
  const raw = [
    { t: 0, ev: 'call', op: 'connect', call: 1 },
    { t: 0, ev: 'status', status: 1, code: 0 },
    { t: 0, ev: 'ws', phase: 'new', id: 1 },
    { t: 100, ev: 'ws', phase: 'connack', id: 1, status: 9 },
    { t: 100, ev: 'status', status: 2, code: 31009 },
    { t: 100, ev: 'result', call: 1, code: 31009 },
  ];
  assert.deepEqual(strip(convert(raw)).slice(4), [
    '{"t":0.1,"kind":"attempt","n":1,"phase":"fail","reason":"error","streak":0,"auto":false,"seq":1,"code":31009}',
    '{"t":0.1,"kind":"status","status":"DISCONNECTED","value":2,"from":"CONNECTING","from_value":1,"listeners":1,"code":31009}',
    '{"t":0.1,"kind":"callback","name":"onError","code":31009,"call":1}',
  ]);
});

test('a second Connect while a task runs does not own attempts', () => {
  const raw = [
    { t: 0, ev: 'call', op: 'connect', call: 1 },
    { t: 0, ev: 'status', status: 1, code: 0 },
    { t: 0, ev: 'ws', phase: 'new', id: 1 },
    { t: 50, ev: 'call', op: 'connect', call: 2 },
    { t: 100, ev: 'ws', phase: 'connack', id: 1, status: 0 },
    { t: 100, ev: 'status', status: 0, code: 0 },
    { t: 100, ev: 'result', call: 2, code: 0 },
    { t: 100, ev: 'result', call: 1, code: 0 },
  ];
  const out = strip(convert(raw));
  assert.ok(out.includes('{"t":0.1,"kind":"attempt","n":1,"phase":"ok","reason":"","streak":0,"auto":false,"seq":1}'));
  assert.ok(out.includes('{"t":0.1,"kind":"callback","name":"onSuccess","code":0,"call":2}'));
});

test('misses: a ping with no pong by its 15 s timeout, only while connected', () => {
  const raw = [
    { t: 0, ev: 'status', status: 0, code: 0 },
    { t: 0, ev: 'ping', seq: 1 },
    { t: 100, ev: 'pong', seq: 1 },
    { t: 15100, ev: 'ping', seq: 2 },
    { t: 30100, ev: 'ping', seq: 3 },
    { t: 45100, ev: 'status', status: 3, code: 30012 },
    { t: 45100, ev: 'ping', seq: 4 },
    { t: 50000, ev: 'status', status: 1, code: 0 },
    { t: 70000, ev: 'end' },
  ];
  const evs = withMisses(raw).map((e) => `${e.t}:${e.ev}${e.seq ? e.seq : ''}`);
  assert.deepEqual(evs, ['0:status', '0:ping1', '100:pong1', '15100:ping2', '30100:miss2', '30100:ping3', '45100:miss3', '45100:status', '45100:ping4', '50000:status', '70000:end']);
  assert.ok(strip(convert(raw)).includes('{"t":45.1,"kind":"lost","reason":"heartbeat"}'));
});

test('two listed servers: one attempt, a socket step per server tried, auth on the one that connects', () => {
  const raw = [
    { t: 0, ev: 'call', op: 'connect', call: 1 },
    { t: 0, ev: 'status', status: 1, code: 0 },
    { t: 0, ev: 'ws', phase: 'new', id: 1, host: 'im1.test:80' },
    { t: 100, ev: 'ws', phase: 'error', id: 1 },
    { t: 100, ev: 'ws', phase: 'new', id: 2, host: 'im2.test:80' },
    { t: 200, ev: 'ws', phase: 'tcp', id: 2 },
    { t: 300, ev: 'ws', phase: 'open', id: 2 },
    { t: 300, ev: 'ws', phase: 'connack', id: 2, status: 0 },
    { t: 300, ev: 'status', status: 0, code: 0 },
  ];
  const attempts = strip(convert(raw)).filter((l) => l.includes('"attempt"'));
  assert.deepEqual(attempts, [
    '{"t":0,"kind":"attempt","n":1,"phase":"start","reason":"connect","streak":0,"auto":false,"seq":1}',
    '{"t":0,"kind":"attempt","n":1,"phase":"step","reason":"socket","streak":0,"auto":false,"seq":1}',
    '{"t":0.1,"kind":"attempt","n":1,"phase":"step","reason":"socket","streak":0,"auto":false,"seq":1}',
    '{"t":0.2,"kind":"attempt","n":1,"phase":"step","reason":"auth","streak":0,"auto":false,"seq":1}',
    '{"t":0.3,"kind":"attempt","n":1,"phase":"ok","reason":"","streak":0,"auto":false,"seq":1}',
  ]);
});
