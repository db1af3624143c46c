'use strict';
// The world the real engine runs in: fake timers (virtual time), the few
// browser globals it reads, and a scripted fake network (navigation server
// over XMLHttpRequest, IM server over WebSocket). Nothing here touches the
// real network: XMLHttpRequest, WebSocket and fetch are replaced before the
// engine is loaded, and every request is answered (or not) by the script.
//
// Invariants:
//   - virtual time only: Date, setTimeout and setInterval are
//     @sinonjs/fake-timers'; the raw log's t is virtual ms since start;
//   - determinism: Math.random is a seeded generator, every fake answer is
//     a fake timer, so one scenario gives the same log on every run;
//   - the engine is driven only through its public API (APIContext) and
//     observed only through what an app or a server sees: its status
//     watcher, its connect/disconnect promises, and the frames it sends.

const FakeTimers = require('@sinonjs/fake-timers');

const EPOCH = 1767225600000; // 2026-01-01T00:00:00Z: virtual time 0

// Frame types of the engine's binary protocol (first byte >> 4), read from
// its message classes: CONNACK 2, PINGREQ 12, PINGRESP 13, DISCONNECT 14.
const CONNACK = 2;
const PINGREQ = 12;
const PINGRESP = 13;
const DISCONNECT = 14;

// CONNACK status bytes the engine maps to error codes (its table eh).
const connackStatus = {
  ok: 0, // accepted
  serverUnavailable: 3, // 31003
  tokenIncorrect: 4, // 31004
  notAuthorized: 5, // 31005
  redirect: 6, // 31006
  appBlocked: 8, // 31008
  userBlocked: 9, // 31009
  tokenExpired: 10, // 31020
};

// DISCONNECT status bytes (its table $p): 1 kick (31010), 2 exception (31011),
// 6 redirect (31006), 7 token expired (31020), 9 account cancelled (31029).
const disconnectStatus = { kick: 1, exception: 2, redirect: 6, tokenExpired: 7 };

function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class MemStorage {
  constructor() { this.m = new Map(); }
  getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
  setItem(k, v) { this.m.set(String(k), String(v)); }
  removeItem(k) { this.m.delete(k); }
  clear() { this.m.clear(); }
  key(i) { return [...this.m.keys()][i] ?? null; }
  get length() { return this.m.size; }
}

function utf(s) {
  const b = Buffer.from(s, 'utf8');
  return [b.length >> 8, b.length & 255, ...b];
}

// connackFrame is the server's CONNACK for protocol version 3: header,
// a reserved byte, the status, then userId, sessionId and the server time.
function connackFrame(status, userId, sessionId, nowMs) {
  const bytes = [CONNACK << 4, 0, status];
  if (status === 0) {
    bytes.push(...utf(userId), ...utf(sessionId));
    let ts = BigInt(nowMs);
    const t8 = [];
    for (let i = 0; i < 8; i++) { t8.unshift(Number(ts & 255n)); ts >>= 8n; }
    bytes.push(...t8);
  }
  return new Uint8Array(bytes).buffer;
}

// naviAnswer is the navigation service's answer (POST /v2/navi.json) listing
// the IM servers: the first as server, the others as backupServer.
function naviAnswer(servers) {
  const a = { code: 200, server: servers[0] };
  if (servers.length > 1) a.backupServer = servers.slice(1).join(',');
  return a;
}

function frame(type, ...body) { return new Uint8Array([type << 4, ...body]).buffer; }

// createWorld installs the fake environment and returns the handle the
// scenario script and the runner use. opts: { latencyMs, log(ev) }.
function createWorld(opts) {
  const L = opts.latencyMs;
  const log = opts.log;
  const clock = FakeTimers.install({
    now: EPOCH,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  const now = () => clock.now - EPOCH;
  const emit = (ev) => log({ t: now(), ...ev });
  // soon(fn): run fn at the current virtual time, once the engine has
  // settled after the current event (a timer of 0 ms would be 1 ms).
  const soonQ = [];
  const soon = (fn) => { soonQ.push(fn); };
  const immediate = () => new Promise((r) => setImmediate(r));
  // settle lets every promise chain the engine started run out, then runs
  // the soon queue, settling after each; virtual time does not move.
  const settle = async () => {
    await immediate();
    while (soonQ.length) {
      soonQ.shift()();
      await immediate();
    }
  };
  Math.random = mulberry32(opts.seed || 1);

  // The server's script: what the next connection attempts meet. Each
  // scenario sets these fields and calls the actions below.
  const server = {
    online: true, // the device has network
    navi: 'ok', // ok | fail (HTTP 500) | hang (no answer: the engine's 10 s timeout) | token (HTTP 401: the token refused)
    // the IM servers the navigation answer lists, in its order (server,
    // then backupServer, comma-separated)
    servers: ['im.test:80'],
    // accept(k, host) for the k-th WebSocket (1-based), opened to host: ok |
    // noopen | hang | close | error | { refuse: connack status byte }
    accept: () => 'ok',
    loss: 0, // 1: every packet is lost, both ways (the model's loss op at 1)
    pong: true, // answer pings
    appDisconnect: false, // the app's Disconnect is in progress (session close reason)
    sessions: 0,
    live: null, // the socket holding the session
  };

  const listeners = {};
  globalThis.window = globalThis;
  globalThis.addEventListener = (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); };
  globalThis.removeEventListener = (type, fn) => {
    listeners[type] = (listeners[type] || []).filter((f) => f !== fn);
  };
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', language: 'en', platform: 'Linux', get onLine() { return server.online; } },
    configurable: true,
  });
  globalThis.location = { protocol: 'http:', hostname: 'app.test', host: 'app.test', href: 'http://app.test/' };
  globalThis.localStorage = new MemStorage();
  globalThis.sessionStorage = new MemStorage();
  globalThis.document = { addEventListener() {}, removeEventListener() {}, visibilityState: 'visible', hidden: false, cookie: '' };
  globalThis.fetch = () => { throw new Error('conformance harness: fetch is not allowed'); };

  class FakeXHR {
    constructor() { this.readyState = 0; this.status = 0; this.responseText = ''; this.upload = {}; this.aborted = false; }
    open(method, url) { this.method = method; this.url = url; }
    setRequestHeader() {}
    abort() {
      if (!this.aborted && this.readyState !== 4 && /\/navi\.json|\/navi\.js/.test(this.url)) emit({ ev: 'navi', phase: 'abort' });
      this.aborted = true;
    }
    send() {
      const isNavi = /\/navi\.json|\/navi\.js/.test(this.url);
      const answer = (status, text) => {
        if (this.aborted) return;
        this.readyState = 4; this.status = status; this.responseText = text;
        if (isNavi) emit({ ev: 'navi', phase: status === 200 ? 'ok' : 'fail', status });
        this.onreadystatechange && this.onreadystatechange();
      };
      if (isNavi) emit({ ev: 'navi', phase: 'start' });
      if (!server.online) { soon(() => answer(0, '')); return; }
      if (!isNavi) { setTimeout(() => answer(404, ''), 2 * L); return; } // cloud config, logs
      if (server.navi === 'hang' || server.loss) return;
      if (server.navi === 'fail') { setTimeout(() => answer(500, ''), 2 * L); return; }
      if (server.navi === 'token') { setTimeout(() => answer(401, ''), 2 * L); return; }
      setTimeout(() => answer(200, JSON.stringify(naviAnswer(server.servers))), 2 * L);
    }
  }
  globalThis.XMLHttpRequest = FakeXHR;

  let wsCount = 0;
  let pingCount = 0;
  class FakeWebSocket {
    constructor(url) {
      this.id = ++wsCount;
      this.url = url;
      this.binaryType = 'blob';
      this.readyState = 0;
      this.closed = false;
      this.cut = false; // the network dropped this socket's traffic
      this.host = url.replace(/^wss?:\/\//, '').replace(/\/.*$/, ''); // host:port as the navigation listed it
      emit({ ev: 'ws', phase: 'new', id: this.id, host: this.host });
      // Offline, the browser fails a new socket at once; a server that
      // refuses the connection is known one round trip later (TCP reset).
      if (!server.online) { this.plan = 'offline'; soon(() => this._fail()); return; }
      // Under loss 1 the handshake's packets are lost: the socket never opens.
      const plan = server.loss ? 'noopen' : server.accept(this.id, this.host);
      this.plan = plan;
      if (plan === 'error') { setTimeout(() => this._fail(), 2 * L); return; }
      if (plan === 'noopen') return; // the TCP/TLS handshake never completes
      // The TCP handshake is one round trip; the browser then sends the
      // WebSocket upgrade request, whose URL carries the token: the server
      // reads it one latency later.
      setTimeout(() => {
        if (this.closed) return;
        emit({ ev: 'ws', phase: 'tcp', id: this.id }); // connected: the upgrade leaves
        setTimeout(() => this._upgrade(), L);
      }, 2 * L);
    }
    // _upgrade is the server reading the upgrade request: it answers the
    // token at once, in the same flight as the upgrade's 101, so the socket
    // opens and the CONNACK arrives together, one latency later (two round
    // trips after the socket was created: the model's socket and auth
    // steps). An upgrade sent while the link drops everything is lost.
    _upgrade() {
      if (this.closed || this.cut || server.loss) return;
      const p = this.plan;
      let connack = null;
      if (p === 'ok') {
        if (server.live && server.live !== this) server.live._endSession('replaced');
        server.sessions++;
        server.live = this;
        this.session = server.sessions;
        emit({ ev: 'session', op: 'open', seq: this.session });
        connack = connackFrame(0, 'user0', 's' + this.session, clock.now);
      } else if (typeof p === 'object' && p.refuse !== undefined) {
        connack = connackFrame(p.refuse);
      }
      setTimeout(() => {
        if (this.closed) return;
        this.readyState = 1;
        emit({ ev: 'ws', phase: 'open', id: this.id });
        this.onopen && this.onopen({});
        if (p === 'close') { this._serverClose(1000, 0); return; } // 101, then the server closes
        if (!connack || this.closed) return; // hang: no CONNACK ever
        emit({ ev: 'ws', phase: 'connack', id: this.id, status: p === 'ok' ? 0 : p.refuse });
        this.onmessage && this.onmessage({ data: connack });
      }, L);
    }
    // _deliver sends a server frame, arriving one latency later; a frame
    // sent while the link drops everything (loss 1, or cut offline) is lost.
    _deliver(buf, ev) {
      if (this.cut || server.loss) return;
      setTimeout(() => {
        if (this.closed) return;
        if (ev) emit(ev);
        this.onmessage && this.onmessage({ data: buf });
      }, L);
    }
    _fail() {
      if (this.closed) return;
      this.closed = true; this.readyState = 3;
      emit({ ev: 'ws', phase: 'error', id: this.id });
      this.onerror && this.onerror({});
      this.onclose && this.onclose({ code: 1006, reason: '' });
    }
    // _serverClose closes the socket from the server side; the client sees
    // the close delay later (default one latency).
    _serverClose(code, delay = L) {
      this._endSession('abandoned');
      const seen = () => {
        if (this.closed) return;
        this.closed = true; this.readyState = 3;
        emit({ ev: 'ws', phase: 'close', id: this.id, by: 'server', code });
        this.onclose && this.onclose({ code, reason: '' });
      };
      if (delay === 0) seen(); else setTimeout(seen, delay);
    }
    _endSession(reason, push) {
      if (server.live === this) {
        server.live = null;
        emit({ ev: 'session', op: 'close', seq: this.session, reason, push });
      }
    }
    send(data) {
      if (this.closed) return;
      const b = new Uint8Array(data);
      const type = b[0] >> 4;
      if (type === PINGREQ) {
        const seq = ++pingCount;
        emit({ ev: 'ping', seq });
        if (this.cut || server.loss || !server.pong) return;
        setTimeout(() => this._deliver(frame(PINGRESP), { ev: 'pong', seq }), L);
      } else if (type === DISCONNECT) {
        this.sentDisconnect = true;
      }
    }
    close() {
      if (this.closed) return;
      emit({ ev: 'ws', phase: 'close', id: this.id, by: 'client' });
      this.closed = true; this.readyState = 2;
      const self = this;
      const byApp = server.appDisconnect; // the app's Disconnect closes it
      setTimeout(() => {
        self._endSession(byApp ? 'logout' : 'abandoned', byApp ? !self.sentDisconnect : undefined);
        self.readyState = 3;
        self.onclose && self.onclose({ code: 1000, reason: '' });
      }, L);
    }
  }
  globalThis.WebSocket = FakeWebSocket;

  const fire = (type) => (listeners[type] || []).forEach((fn) => fn({ type }));

  // Scenario actions: each one is what a server or the environment does.
  const act = {
    // the server closes the live socket (no DISCONNECT frame)
    serverClose() { if (server.live) server.live._serverClose(1006); },
    // the server's host goes down (the model's server_down, --server-down):
    // its live socket closes (no DISCONNECT frame) and every new socket is
    // refused (a TCP reset) until serverUp
    serverDown() {
      emit({ ev: 'server', op: 'server_down' });
      server.accept = () => 'error';
      if (server.live) server.live._serverClose(1006);
    },
    serverUp() {
      emit({ ev: 'server', op: 'server_up' });
      server.accept = () => 'ok';
    },
    // another device of the same user logs in: DISCONNECT(kick), then close
    kick() {
      const s = server.live;
      if (!s) return;
      emit({ ev: 'server', op: 'kick' });
      s._endSession('kicked');
      s._deliver(frame(DISCONNECT, 0, disconnectStatus.kick));
      s._serverClose(1000); // after the frame: same time, scheduled later
    },
    // the user is blocked while connected: DISCONNECT(exception, 31011)
    blockUser() {
      const s = server.live;
      if (!s) return;
      s._endSession('blocked');
      s._deliver(frame(DISCONNECT, 0, disconnectStatus.exception));
      s._serverClose(1000);
    },
    // the server stops answering pings (the socket stays up)
    stopPongs() { server.pong = false; emit({ ev: 'server', op: 'stop_pongs' }); },
    startPongs() { server.pong = true; emit({ ev: 'server', op: 'start_pongs' }); },
    // the link loses every packet (1) or none (0), as the model's loss op
    loss(v) {
      if (v !== 0 && v !== 1) throw new Error('loss: the fake network drops all or nothing');
      server.loss = v;
      emit({ ev: 'env', op: 'loss', value: v });
    },
    // the device loses its network. The browser fails its live sockets
    // (Chrome: ERR_NETWORK_CHANGED when the interface goes down) and new
    // ones at once; the server learns of the lost session only later (not
    // modelled: no close record).
    offline() {
      server.online = false;
      emit({ ev: 'env', op: 'net_off' });
      const s = server.live;
      if (s) {
        s.cut = true;
        soon(() => s._fail());
      }
      fire('offline');
    },
    // the network changes (wifi to cellular, say) and stays up: Chrome
    // fails the live sockets (ERR_NETWORK_CHANGED); new sockets open as
    // usual. No online/offline event. As offline, the server learns of the
    // lost session only later.
    netChange() {
      emit({ ev: 'env', op: 'net_change' });
      const s = server.live;
      if (s) {
        s.cut = true;
        soon(() => s._fail());
      }
    },
    // the navigation service goes down: every request fails with HTTP 500
    // ('fail') or gets no answer ('hang'); naviUp brings it back
    naviDown(kind) {
      server.navi = kind || 'fail';
      emit({ ev: 'server', op: 'navi_down', kind: server.navi });
    },
    naviUp() {
      server.navi = 'ok';
      emit({ ev: 'server', op: 'navi_up' });
    },
    online() {
      server.online = true;
      emit({ ev: 'env', op: 'net_on' });
      fire('online');
    },
  };

  return { clock, now, emit, server, act, connackStatus, settle };
}

module.exports = { createWorld, connackStatus, naviAnswer, EPOCH };
