'use strict';
// The converter: the harness's raw log of one run of the real engine (what
// the app, the fake server and the fake network saw, in virtual ms) to the
// project's trace JSON Lines (README "Trace format"), byte for byte as
// connsim's trace.AppendJSON writes it.
//
// Raw events ({t, ev, ...}, t in virtual ms, in the order they happened):
//   call {op: init|add_listener|connect|disconnect}    the app called the engine
//   result {call, code}                               a connect promise settled (code 0: ok)
//   status {status, code}                             the engine's watcher: RCConnectionStatus, code
//   navi {phase: start|ok|fail}                       the navigation request
//   ws {phase: new|tcp|open|connack|close|error, id, status?, by?, host?}
//                                                     tcp: the socket's TCP handshake is done, the upgrade (with the token) leaves
//   ping {seq} / pong {seq}                           heartbeat frames seen by the server / the client
//   session {op: open|close, seq, reason?, push?}     the fake server's sessions
//   env {op: net_off|net_on|net_change|loss, value?}  the device's network
//   server {op}                                       a scripted server change (not written)
//   end {}                                            the run's horizon
//
// Mapping (documented in docs/conformance.md):
//   - status records are the engine's own, as connsim's web profile
//     publishes them (fsm.ProfileWeb): RCConnectionStatus CONNECTED 0, CONNECTING 1,
//     DISCONNECTED 2, SUSPENDED 3, with the code the watcher got (written
//     when not 0); the code tells a DISCONNECTED apart (2 the app's
//     disconnect, 31010 kicked, 31004/31020 token, 31009/31011 blocked).
//   - an attempt is one connection task of the engine: it starts at its
//     first network action (navigation request, or WebSocket when the
//     navigation is cached) and ends when the engine reports the outcome:
//     ok at the accepted CONNACK; fail when the status leaves CONNECTING.
//     A failure followed by SUSPENDED is transient (attempt-timeout when
//     the socket never opened within the engine's 5 s, else unavailable);
//     one followed by DISCONNECTED is terminal (reason error, with code).
//   - an attempt's steps, as connsim writes them under --attempt full
//     (phase step): navi at the navigation request, socket at each new
//     WebSocket (one per listed server tried), auth when the socket's TCP
//     handshake is done and the upgrade request, which carries the token,
//     leaves (the CONNACK answers it);
//   - the attempts of a connect call are numbered from 1; attempts after the
//     call's first success are automatic reconnections (auto true); the one
//     a lost connection makes at once has reason reconnect, later ones
//     schedule.
//   - a missed pong is written when the engine's 15 s ping timeout runs out
//     with no pong for that ping while still connected.

const PING_TIMEOUT_MS = 15000;
const SOCKET_OPEN_TIMEOUT_MS = 5000;

// The engine's RCConnectionStatus values, as the web profile publishes them.
const webStatus = ['CONNECTED', 'CONNECTING', 'DISCONNECTED', 'SUSPENDED'];

// statusName returns the published name of the engine's status.
function statusName(status) {
  const n = webStatus[status];
  if (n === undefined) throw new Error(`unknown engine status ${status}`);
  return n;
}

// seconds writes virtual ms as the shortest decimal of seconds, as Go's
// strconv.AppendFloat(s, 'f', -1, 64) does for the harness's times.
function seconds(ms) {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`bad time ${ms}`);
  const whole = Math.floor(ms / 1000);
  const frac = ms % 1000;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

// record writes one trace record with the fields in trace.AppendJSON's order.
function record(t, kind, fields) {
  let s = `{"t":${seconds(t)},"kind":${JSON.stringify(kind)},"dev":0`;
  for (const [k, v] of fields) s += `,${JSON.stringify(k)}:${typeof v === 'string' ? JSON.stringify(v) : v}`;
  return s + '}';
}

// withMisses returns the raw events with a synthetic {ev: 'miss'} at each
// ping's timeout that got no pong while the engine stayed connected.
function withMisses(events) {
  const out = [];
  const pending = []; // {seq, due}
  let connected = false;
  const flush = (t, inclusive) => {
    while (pending.length && (pending[0].due < t || (inclusive && pending[0].due === t))) {
      const p = pending.shift();
      if (connected) out.push({ t: p.due, ev: 'miss', seq: p.seq });
    }
  };
  for (const e of events) {
    // A timeout due at e.t fires before the events at e.t: the engine's
    // timer runs, then what it causes (the next ping, the suspension).
    flush(e.t, true);
    if (e.ev === 'ping') pending.push({ seq: e.seq, due: e.t + PING_TIMEOUT_MS });
    if (e.ev === 'pong') {
      const i = pending.findIndex((p) => p.seq === e.seq);
      if (i >= 0) pending.splice(i, 1);
    }
    if (e.ev === 'status') {
      connected = e.status === 0;
      if (!connected) pending.length = 0;
    }
    out.push(e);
  }
  return out;
}

// convert returns the trace JSON Lines (one string per record) of a raw log.
function convert(raw) {
  const lines = [];
  const events = withMisses(raw);
  let engineStatus = 2; // DISCONNECTED, the engine's initial status
  let justLost = false; // a connection was lost and no attempt started since
  let calls = 0;
  let owner = 0; // the connect call whose attempts run
  let ownerConnected = false; // the owner has had its first success
  let n = 0; // attempts of the owner
  let seq = 0; // attempts in the trace
  let streak = 0;
  let attempt = null; // the open attempt: {n, seq, auto, t, opened}
  const push = (t, kind, fields) => lines.push(record(t, kind, fields));

  const startAttempt = (t) => {
    n++; seq++;
    const auto = ownerConnected;
    const reason = n === 1 ? 'connect' : justLost ? 'reconnect' : 'schedule';
    justLost = false;
    attempt = { n, seq, auto, t, opened: false };
    push(t, 'attempt', [['n', n], ['phase', 'start'], ['reason', reason], ['streak', streak], ['auto', auto], ['seq', seq]]);
  };
  const step = (t, reason) => {
    const a = attempt;
    push(t, 'attempt', [['n', a.n], ['phase', 'step'], ['reason', reason], ['streak', streak], ['auto', a.auto], ['seq', a.seq]]);
  };
  const endAttempt = (t, phase, reason, code) => {
    const a = attempt;
    attempt = null;
    if (phase === 'ok') streak = 0;
    else if (reason !== 'error') streak++;
    const f = [['n', a.n], ['phase', phase], ['reason', reason], ['streak', streak], ['auto', a.auto], ['seq', a.seq]];
    if (code) f.push(['code', code]);
    push(t, 'attempt', f);
  };

  for (const e of events) {
    switch (e.ev) {
      case 'call':
        if (e.op === 'connect') {
          calls++;
          // A call owns the attempts to come when the engine is neither
          // connected nor running a connection task (it then starts one).
          if (engineStatus !== 0 && !attempt) { owner = calls; ownerConnected = false; n = 0; streak = 0; }
          push(e.t, 'call', [['op', 'connect'], ['call', calls], ['token', 0], ['time_limit', 0]]);
        } else if (e.op === 'disconnect') {
          push(e.t, 'call', [['op', 'disconnect'], ['push', true]]);
        } else if (e.op === 'add_listener') {
          push(e.t, 'call', [['op', 'add_listener'], ['listener', 1]]);
        } else {
          push(e.t, 'call', [['op', e.op]]);
        }
        break;
      case 'result':
        if (e.code === 0) push(e.t, 'callback', [['name', 'onSuccess'], ['code', 0], ['call', e.call]]);
        else push(e.t, 'callback', [['name', 'onError'], ['code', e.code], ['call', e.call]]);
        break;
      case 'navi':
        if (e.phase === 'start') {
          if (!attempt) startAttempt(e.t);
          step(e.t, 'navi');
        }
        break;
      case 'ws':
        if (e.phase === 'new') {
          if (!attempt) startAttempt(e.t);
          step(e.t, 'socket');
        }
        if (e.phase === 'tcp' && attempt) step(e.t, 'auth');
        if (e.phase === 'open' && attempt) attempt.opened = true;
        if (e.phase === 'connack' && e.status === 0 && attempt) {
          endAttempt(e.t, 'ok', '');
          ownerConnected = true;
        }
        break;
      case 'status': {
        const name = statusName(e.status);
        if (attempt && e.status !== 1 && e.status !== 0) {
          if (e.status === 3) {
            const timedOut = !attempt.opened && e.t - attempt.t >= SOCKET_OPEN_TIMEOUT_MS;
            endAttempt(e.t, 'fail', timedOut ? 'attempt-timeout' : 'unavailable');
          } else {
            endAttempt(e.t, 'fail', 'error', e.code);
          }
        }
        if (engineStatus === 0 && e.status === 3) {
          push(e.t, 'lost', [['reason', e.code === 30012 ? 'heartbeat' : 'gone']]);
          justLost = true;
        }
        const f = [['status', name], ['value', e.status], ['from', statusName(engineStatus)], ['from_value', engineStatus], ['listeners', 1]];
        if (e.code) f.push(['code', e.code]);
        push(e.t, 'status', f);
        engineStatus = e.status;
        break;
      }
      case 'ping':
        push(e.t, 'heartbeat', [['op', 'ping'], ['seq', e.seq]]);
        break;
      case 'pong':
        push(e.t, 'heartbeat', [['op', 'pong'], ['seq', e.seq]]);
        break;
      case 'miss':
        push(e.t, 'heartbeat', [['op', 'miss'], ['seq', e.seq]]);
        break;
      case 'session': {
        const f = [['op', e.op], ['user', 0], ['platform', 'web'], ['seq', e.seq]];
        if (e.reason) f.push(['reason', e.reason]);
        if (e.op === 'close' && e.reason === 'logout') f.push(['push', e.push !== false]);
        push(e.t, 'session', f);
        break;
      }
      case 'env':
        push(e.t, 'env', e.op === 'loss' ? [['op', 'loss'], ['value', e.value]] : [['op', e.op]]);
        break;
      case 'end':
        lines.push(`{"t":${seconds(e.t)},"kind":"end","reason":"horizon"}`);
        break;
      default:
        break; // server changes, ws details: not part of the trace
    }
  }
  return lines;
}

module.exports = { convert, statusName, seconds, withMisses };
