'use strict';
// The scenario set. Each scenario scripts the fake server and network
// (setup, run once before the app's first call) and the app's calls and the
// world's changes at virtual times (script: [ms, action]). Actions are
// 'connect', 'disconnect', or a world action of env.js (serverClose, kick,
// stopPongs, startPongs, offline, online). horizon: when the run ends (ms).
//
// model: the flags of `sim trace --profile web` that play the same story in
// the model, or null when the model has no input for it (the row of
// docs/conformance.md then says so).

const S = require('./env').connackStatus;

const refuse = (status) => () => ({ refuse: status });
// after(k, plan): the first k sockets are accepted, later ones meet plan.
const after = (k, plan) => (id) => (id <= k ? 'ok' : (typeof plan === 'function' ? plan(id) : plan));

const scenarios = [
  {
    name: 'connect-ok',
    desc: 'Connect; the server accepts.',
    horizon: 60000,
    script: [[0, 'connect']],
    model: '--until 60s',
  },
  {
    name: 'server-close',
    desc: 'Connected; at 10 s the server closes the socket (no DISCONNECT frame); it accepts again.',
    horizon: 30000,
    script: [[0, 'connect'], [10000, 'serverClose']],
    model: null,
  },
  {
    name: 'first-connect-refused',
    desc: 'Connect while every socket fails at once (connection refused).',
    horizon: 30000,
    setup: (s) => { s.accept = () => 'error'; },
    script: [[0, 'connect']],
    model: '--server-unavailable 1 --until 30s',
  },
  {
    name: 'retry-socket-error',
    desc: 'Connected; at 10 s the server closes the socket and refuses every new socket until 22 s.',
    horizon: 40000,
    setup: (s) => { s.accept = after(1, 'error'); },
    script: [[0, 'connect'], [10000, 'serverClose'], [22000, (w) => { w.server.accept = () => 'ok'; }]],
    model: null,
  },
  {
    name: 'retry-open-timeout',
    desc: 'Connected; at 10 s the server closes the socket; new sockets never open until 22 s.',
    horizon: 50000,
    setup: (s) => { s.accept = after(1, 'noopen'); },
    script: [[0, 'connect'], [10000, 'serverClose'], [22000, (w) => { w.server.accept = () => 'ok'; }]],
    model: null,
  },
  {
    name: 'retry-closed-before-ack',
    desc: 'Connected; at 10 s the server closes the socket; new sockets open and are closed before the CONNACK until 22 s.',
    horizon: 40000,
    setup: (s) => { s.accept = after(1, 'close'); },
    script: [[0, 'connect'], [10000, 'serverClose'], [22000, (w) => { w.server.accept = () => 'ok'; }]],
    model: null,
  },
  {
    name: 'retry-server-unavailable',
    desc: 'Connected; at 10 s the server closes the socket; new sockets get CONNACK 31003 (server unavailable).',
    horizon: 40000,
    setup: (s) => { s.accept = after(1, refuse(S.serverUnavailable)); },
    script: [[0, 'connect'], [10000, 'serverClose']],
    model: null,
  },
  {
    name: 'handshake-hangs',
    desc: 'Connect; the socket opens but the server never sends the CONNACK.',
    horizon: 120000,
    setup: (s) => { s.accept = () => 'hang'; },
    script: [[0, 'connect']],
    model: '--loss 1 --until 120s',
  },
  {
    name: 'heartbeat-loss',
    desc: 'Connected; from 20 s the server stops answering pings (the socket stays up).',
    horizon: 90000,
    script: [[0, 'connect'], [20000, 'stopPongs'], [60000, 'startPongs']],
    model: null,
  },
  {
    name: 'offline-online',
    desc: 'Connected; the device is offline from 10 s to 50 s.',
    horizon: 80000,
    script: [[0, 'connect'], [10000, 'offline'], [50000, 'online']],
    model: '--net-off 10s:50s --until 80s',
  },
  {
    name: 'kicked',
    desc: 'Connected; at 10 s another device of the same user logs in: the server sends DISCONNECT (kick).',
    horizon: 40000,
    script: [[0, 'connect'], [10000, 'kick']],
    model: '--kick-at 10s --until 40s',
  },
  {
    name: 'token-invalid',
    desc: 'Connect with an invalid token: CONNACK 31004.',
    horizon: 20000,
    setup: (s) => { s.accept = refuse(S.tokenIncorrect); },
    script: [[0, 'connect']],
    model: '--token-invalid --until 20s',
  },
  {
    name: 'token-expired',
    desc: 'Connect with an expired token: CONNACK 31020.',
    horizon: 20000,
    setup: (s) => { s.accept = refuse(S.tokenExpired); },
    script: [[0, 'connect']],
    model: '--token-expires 0s --until 20s',
  },
  {
    name: 'user-blocked',
    desc: 'Connect as a blocked user: CONNACK 31009.',
    horizon: 20000,
    setup: (s) => { s.accept = refuse(S.userBlocked); },
    script: [[0, 'connect']],
    model: '--user-blocked --until 20s',
  },
  {
    name: 'navi-fails',
    desc: 'Connect while the navigation server answers HTTP 500.',
    horizon: 20000,
    setup: (s) => { s.navi = 'fail'; },
    script: [[0, 'connect']],
    model: null,
  },
  {
    name: 'disconnect-connected',
    desc: 'Connected; the app calls Disconnect at 10 s.',
    horizon: 40000,
    script: [[0, 'connect'], [10000, 'disconnect']],
    model: '--disconnect-at 10s --until 40s',
  },
  {
    name: 'disconnect-reconnecting',
    desc: 'Connected; at 10 s the server closes the socket and refuses the next socket; the app calls Disconnect at 15.2 s, while the next reconnection attempt (15.15 s) is in flight.',
    horizon: 60000,
    setup: (s) => { s.accept = (id) => (id === 2 ? 'error' : 'ok'); },
    script: [[0, 'connect'], [10000, 'serverClose'], [15200, 'disconnect']],
    model: null,
  },
  {
    name: 'disconnect-first-connect',
    desc: 'Connect; the app calls Disconnect at 0.05 s, before the CONNACK.',
    horizon: 60000,
    script: [[0, 'connect'], [50, 'disconnect']],
    model: '--disconnect-at 50ms --until 60s',
  },
  {
    name: 'second-connect-pending',
    desc: 'Connect; a second Connect at 0.05 s while the first is pending.',
    horizon: 30000,
    script: [[0, 'connect'], [50, 'connect']],
    model: '--second-connect-at 50ms --until 30s',
  },
  {
    name: 'second-connect-connected',
    desc: 'Connected; a second Connect at 10 s.',
    horizon: 30000,
    script: [[0, 'connect'], [10000, 'connect']],
    model: '--second-connect-at 10s --until 30s',
  },
  {
    name: 'second-connect-suspended',
    desc: 'Connected; at 10 s the server closes the socket and refuses sockets; a second Connect at 12 s, while SUSPENDED; sockets are accepted again from 12 s.',
    horizon: 40000,
    setup: (s) => { s.accept = after(1, 'error'); },
    script: [[0, 'connect'], [10000, 'serverClose'], [12000, (w) => { w.server.accept = () => 'ok'; }], [12000, 'connect']],
    model: null,
  },
];

module.exports = { scenarios };
