'use strict';
// The scenario set. Each scenario scripts the fake server and network
// (setup, run once before the app's first call) and the app's calls and the
// world's changes at virtual times (script: [ms, action]). Actions are
// 'connect', 'disconnect', a world action of env.js (serverClose, kick,
// offline, online), ['loss', v], or a function of the world.
// horizon: when the run ends (ms). coldNavi: the engine's navigation cache
// starts empty (by default it holds the answer of an earlier visit, so a
// connect goes straight to the socket, like the model's attempt). naviAgeMs:
// that cached answer's age at time 0 (the engine keeps it 2 h). servers: the
// IM servers the navigation answer lists (default one, im.test:80).
//
// model: the arguments of `sim trace --profile web --attempt full` that
// play the same story in the model (a --scenario file of
// conformance/model/ when the story needs timed ops), or null when the
// model has no input for it; run.js --manifest puts before them what the
// harness's setup implies (--visit returning unless coldNavi, --servers,
// --navi-ttl for naviAgeMs). Equivalences: the engine's server refusing
// the socket (a TCP reset, one round trip) is the model's server down
// (--server-down, server_down: the socket refused); a server closing the
// socket or refusing with a CONNACK is the model's "server unavailable"
// answer to auth (two round trips: socket and auth); ['loss', 1] drops
// every packet both ways as the model's loss op does (a new socket never
// opens: the 5 s timeout).

const S = require('./env').connackStatus;

const refuse = (status) => () => ({ refuse: status });
const accept = (plan) => (w) => { w.server.accept = typeof plan === 'function' ? plan : () => plan; };
const loss = (v) => (w) => w.act.loss(v);
const yaml = (name) => `--scenario conformance/model/${name}.yaml`;
const naviDown = (kind) => (w) => w.act.naviDown(kind);
const naviUp = (w) => w.act.naviUp();

// Two IM servers in the navigation answer; the first refuses every socket.
const twoServers = ['im1.test:80', 'im2.test:80'];
const firstRefused = (s) => { s.accept = (k, host) => (host === twoServers[0] ? 'error' : 'ok'); };
// The engine's navigation cache lives 2 h (its constant je = 72e5 ms): an
// answer this old at time 0 expires at 30 s.
const NAVI_TTL_MS = 7200000;

const scenarios = [
  {
    name: 'connect-ok',
    desc: 'Connect; the server accepts.',
    horizon: 60000,
    script: [[0, 'connect']],
    model: '--until 60s',
  },
  {
    name: 'connect-first-visit',
    desc: 'Connect on a first visit: the navigation request (one round trip), then the socket.',
    horizon: 20000,
    coldNavi: true,
    script: [[0, 'connect']],
    model: '--until 20s',
  },
  {
    name: 'first-connect-refused',
    desc: 'Connect while the server refuses every socket.',
    horizon: 30000,
    setup: (s) => { s.accept = () => 'error'; },
    script: [[0, 'connect']],
    model: '--server-down 0:0s:1h --until 30s',
  },
  {
    name: 'server-close',
    desc: 'Connected; at 10 s the server closes the socket (no DISCONNECT frame).',
    horizon: 30000,
    script: [[0, 'connect'], [10000, 'serverClose']],
    model: yaml('server-close'),
  },
  {
    name: 'server-down',
    desc: 'Connected; from 10 s to 20 s the server is down: its live socket closes (no DISCONNECT frame) and new sockets are refused.',
    horizon: 40000,
    script: [[0, 'connect'], [10000, 'serverDown'], [20000, 'serverUp']],
    model: '--server-down 0:10s:20s --until 40s',
  },
  {
    name: 'heartbeat-loss',
    desc: 'Connected; every packet is lost from 20 s to 60 s: pings go unanswered, the connection is lost.',
    horizon: 90000,
    script: [[0, 'connect'], [20000, loss(1)], [60000, loss(0)]],
    model: yaml('heartbeat-loss'),
  },
  {
    name: 'retry-timeout',
    desc: 'Connected; every packet is lost from 20 s to 80 s: after the heartbeat loss, new sockets never open (5 s timeout).',
    horizon: 110000,
    script: [[0, 'connect'], [20000, loss(1)], [80000, loss(0)]],
    model: yaml('retry-timeout'),
  },
  {
    name: 'retry-refused',
    desc: 'As heartbeat-loss, and the server refuses sockets from 60 s to 72 s.',
    horizon: 100000,
    script: [[0, 'connect'], [20000, loss(1)], [60000, loss(0)], [60000, accept('error')], [72000, accept('ok')]],
    model: yaml('retry-refused'),
  },
  {
    name: 'retry-closed-before-ack',
    desc: 'As heartbeat-loss, and from 60 s to 72 s the server closes each new socket right after it opens, before the CONNACK.',
    horizon: 100000,
    script: [[0, 'connect'], [20000, loss(1)], [60000, loss(0)], [60000, accept('close')], [72000, accept('ok')]],
    model: yaml('retry-unavailable'),
  },
  {
    name: 'retry-server-unavailable',
    desc: 'As heartbeat-loss, and from 60 s to 72 s the server answers new sockets with CONNACK 31003 (server unavailable).',
    horizon: 100000,
    script: [[0, 'connect'], [20000, loss(1)], [60000, loss(0)], [60000, accept(refuse(S.serverUnavailable))], [72000, accept('ok')]],
    model: yaml('retry-unavailable'),
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
    name: 'offline-online',
    desc: 'Connected; the device is offline from 10 s to 50 s.',
    horizon: 80000,
    script: [[0, 'connect'], [10000, 'offline'], [50000, 'online']],
    model: '--net-off 10s:50s --until 80s',
  },
  {
    name: 'offline-navi-expired',
    desc: 'As offline-online from 40 s to 60 s, with a cached navigation answer that expires at 30 s: each offline round asks the navigation first, which fails at once (30007).',
    horizon: 80000,
    naviAgeMs: NAVI_TTL_MS - 30000,
    script: [[0, 'connect'], [40000, 'offline'], [60000, 'online']],
    model: '--net-off 40s:60s --until 80s',
  },
  {
    name: 'network-change',
    desc: 'Connected; at 10 s the network changes (wifi to cellular) and stays up: the browser fails the live socket (ERR_NETWORK_CHANGED).',
    horizon: 40000,
    script: [[0, 'connect'], [10000, 'netChange']],
    model: '--net-change-at 10s --until 40s',
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
    name: 'blocked-while-connected',
    desc: 'Connected; at 10 s the user is blocked: the server sends DISCONNECT (exception, 31011).',
    horizon: 40000,
    script: [[0, 'connect'], [10000, 'blockUser']],
    model: '--block-user-at 10s --until 40s',
  },
  {
    name: 'navi-fails',
    desc: 'Connect on a first visit while the navigation server answers HTTP 500.',
    horizon: 20000,
    coldNavi: true,
    setup: (s) => { s.navi = 'fail'; },
    script: [[0, 'connect']],
    model: '--navi-unavailable 1 --until 20s',
  },
  {
    name: 'navi-token-invalid',
    desc: 'Connect on a first visit with a token the navigation server refuses (HTTP 401).',
    horizon: 20000,
    coldNavi: true,
    setup: (s) => { s.navi = 'token'; },
    script: [[0, 'connect']],
    model: '--token-invalid --until 20s',
  },
  {
    name: 'navi-token-reconnect',
    desc: 'Connected; the cached navigation answer expires at 30 s; at 40 s the token is invalidated (the navigation server answers HTTP 401) and the server closes the socket: the reconnection asks the navigation.',
    horizon: 60000,
    naviAgeMs: NAVI_TTL_MS - 30000,
    script: [[0, 'connect'], [40000, (w) => { w.server.navi = 'token'; }], [40000, 'serverClose']],
    model: yaml('navi-token-reconnect'),
  },
  {
    name: 'navi-timeout',
    desc: 'Connect on a first visit while the navigation server never answers: the engine aborts the request after its 10 s timeout.',
    horizon: 20000,
    coldNavi: true,
    setup: (s) => { s.navi = 'hang'; },
    script: [[0, 'connect']],
    model: '--loss 1 --until 20s',
  },
  {
    name: 'two-servers-first-refused',
    desc: 'Connect; the navigation answer lists two IM servers and the first refuses every socket: the engine tries the second within the same attempt.',
    horizon: 30000,
    servers: twoServers,
    setup: firstRefused,
    script: [[0, 'connect']],
    model: '--server-down 0:0s:1h --until 30s',
  },
  {
    name: 'two-servers-reconnect',
    desc: 'As two-servers-first-refused, and every packet is lost from 20 s to 60 s: the reconnection tries the server that worked first.',
    horizon: 90000,
    servers: twoServers,
    setup: firstRefused,
    script: [[0, 'connect'], [20000, loss(1)], [60000, loss(0)]],
    model: `--server-down 0:0s:1h ${yaml('heartbeat-loss')}`,
  },
  {
    name: 'two-servers-timeout',
    desc: 'Two IM servers in the navigation answer; every packet is lost from 20 s to 80 s: each reconnection round waits the 5 s socket timeout on each server in turn.',
    horizon: 110000,
    servers: twoServers,
    script: [[0, 'connect'], [20000, loss(1)], [80000, loss(0)]],
    model: yaml('retry-timeout'),
  },
  {
    name: 'navi-outage-cached',
    desc: 'As heartbeat-loss, and the navigation server answers HTTP 500 from 20 s to 80 s: the reconnection uses the cached navigation answer.',
    horizon: 110000,
    script: [[0, 'connect'], [20000, loss(1)], [20000, naviDown('fail')], [60000, loss(0)], [80000, naviUp]],
    model: yaml('navi-outage-cached'),
  },
  {
    name: 'navi-outage-expired',
    desc: 'As navi-outage-cached, but the cached navigation answer expires at 30 s: each reconnection asks the navigation server (30007) until it is back.',
    horizon: 110000,
    naviAgeMs: NAVI_TTL_MS - 30000,
    script: [[0, 'connect'], [20000, loss(1)], [20000, naviDown('fail')], [60000, loss(0)], [80000, naviUp]],
    model: yaml('navi-outage-cached'),
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
    desc: 'As heartbeat-loss; the app calls Disconnect at 60.45 s, while the reconnection attempt of 60.4 s is in flight.',
    horizon: 120000,
    script: [[0, 'connect'], [20000, loss(1)], [60000, loss(0)], [60450, 'disconnect']],
    model: yaml('disconnect-reconnecting'),
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
    desc: 'Every packet is lost from 20 s to 66 s; after the heartbeat loss and a timed-out attempt the engine is SUSPENDED; a second Connect at 67 s.',
    horizon: 100000,
    script: [[0, 'connect'], [20000, loss(1)], [66000, loss(0)], [67000, 'connect']],
    model: yaml('second-connect-suspended'),
  },
];

module.exports = { scenarios, NAVI_TTL_MS };
