package model

import (
	"errors"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/server"
)

// Params are the model parameters of a run (spec section 11), with the
// run's time limit and horizon. Every field a user can set is declared
// once, in Registry.
type Params struct {
	Net    netmodel.Params
	Client fsm.Config
	// TimeLimit is the timeLimit of every Connect that does not name its
	// own; <= 0 means no limit.
	TimeLimit time.Duration
	// Horizon is the most virtual time a trial may run.
	Horizon time.Duration
	// KickPolicy is the server's reconnection-kick policy.
	KickPolicy server.KickPolicy
	// MultiMobile lets several mobile devices of a user be online at once.
	MultiMobile bool
	// IdleTimeout is the server's liveness timeout: a live session it has
	// heard nothing from for this long is closed (reason idle). 0 means
	// auto: ServerIdleTimeout derives it from the heartbeat.
	IdleTimeout time.Duration
	// Msg are the message parameters (spec section 12; messages.go).
	Msg MsgParams
	// Detail asks for detail records (messages, timers) in the trace.
	Detail bool
	// NaviUnavailable is the probability that the navigation service
	// fails a request; ServerDown the --server-down windows (anatomy.go).
	NaviUnavailable float64
	ServerDown      []ServerDown
	// MaxEvents is the work budget of a trial: the most events it may run
	// (see DefaultMaxEvents); 1 to MaxMaxEvents.
	MaxEvents int
}

// DefaultParams returns the defaults of spec section 11, a 5 s time limit,
// a 10 min horizon and the attempt's anatomy (--attempt full: the core's
// own zero value, fsm.AttemptAuth, is one auth round trip).
func DefaultParams() Params {
	p := Params{
		Net:       netmodel.DefaultParams(),
		Client:    fsm.DefaultConfig(),
		TimeLimit: 5 * time.Second,
		Horizon:   10 * time.Minute,
		MaxEvents: DefaultMaxEvents,
		Msg:       DefaultMsgParams(),
	}
	p.Client.Attempt = fsm.AttemptFull
	return p
}

// MaxHorizon bounds --horizon so that a trial always ends.
const MaxHorizon = 30 * 24 * time.Hour

// MaxDuration bounds every duration a user gives (parameters, scenario
// times, knobs): the longest horizon. Virtual times are sums of a few such
// durations, far below the 292 years an int64 of nanoseconds holds, so no
// sum can wrap; the kernel also saturates (see addTime).
const MaxDuration = MaxHorizon

// Registry declares every model parameter once: its flag, YAML key, JSON
// key, range, default and doc. The CLI flags, scenario files' params,
// --json "params", the sweep CSV columns, --help and the table of docs/cli.md all
// come from it. To add a parameter, add one line here (see package param).
var Registry = param.NewRegistry(DefaultParams,
	profileParam,
	param.Float("loss", "probability that a message is lost, each message and direction independently", 0, 1,
		func(p *Params) *float64 { return &p.Net.Loss }).JSON("loss").WithUnit("probability"),
	param.Enum("loss-model", "loss model of both directions: bernoulli (--loss, each message independently) or ge:P,R,1-H,1-K, a Gilbert-Elliott chain in netem's gemodel order (P good to bad, R bad to good, 1-H loss in bad, 1-K loss in good; --loss must then be 0), or burst:B, a Gilbert chain with mean burst length B and --loss as its average loss",
		"bernoulli, ge:P,R,1-H,1-K (four probabilities, P+R > 0) or burst:B (B between 1 and 1000)", nil, netmodel.ParseLossModel, formatLossModel,
		func(p *Params) *netmodel.LossModel { return &p.Net.LossModel }).JSON("loss_model"),
	param.Enum("loss-up", "loss of the device-to-server direction only, overriding --loss and --loss-model: a probability or ge:P,R,1-H,1-K (same: as --loss and --loss-model)",
		"same, a probability between 0 and 1, or ge:P,R,1-H,1-K", nil, parseLossDir, formatLossDir,
		func(p *Params) *netmodel.LossModel { return &p.Net.LossUp }).JSON("loss_up"),
	param.Enum("loss-down", "loss of the server-to-device direction only, overriding --loss and --loss-model: a probability or ge:P,R,1-H,1-K (same: as --loss and --loss-model)",
		"same, a probability between 0 and 1, or ge:P,R,1-H,1-K", nil, parseLossDir, formatLossDir,
		func(p *Params) *netmodel.LossModel { return &p.Net.LossDown }).JSON("loss_down"),
	param.Enum("transport", "message: each message is lost or not; tcp: each attempt opens a TCP connection (SYN retries, RFC 6298 retransmission) and the loss is per packet", "",
		[]string{"message", "tcp"}, netmodel.ParseTransport, netmodel.Transport.String,
		func(p *Params) *netmodel.Transport { return &p.Net.Transport }).JSON("transport"),
	param.Duration("time-limit", "Connect's timeLimit (attempts go on until success or a terminal error when there is none)", -MaxDuration, MaxDuration, "no limit", param.Seconds,
		func(p *Params) *time.Duration { return &p.TimeLimit }).JSON("time_limit_s").Profile("web", "0"),
	param.Duration("latency", "one-way network latency", 0, MaxDuration, "", param.Millis,
		func(p *Params) *time.Duration { return &p.Net.Latency }).JSON("latency_ms"),
	param.Duration("jitter", "scale of the latency jitter added to --latency (0: fixed latency)", 0, MaxDuration, "", param.Millis,
		func(p *Params) *time.Duration { return &p.Net.Jitter }).JSON("jitter_ms"),
	param.Enum("jitter-dist", "jitter distribution: uniform [0,J), normal |N(0,J)|, exponential with mean J", "",
		[]string{"uniform", "normal", "exponential"}, netmodel.ParseDist, netmodel.Dist.String,
		func(p *Params) *netmodel.Dist { return &p.Net.JitterDist }).JSON("jitter_dist"),
	param.Duration("attempt-timeout", "an attempt with no answer by then fails transiently", time.Millisecond, MaxDuration, "", param.Seconds,
		func(p *Params) *time.Duration { return &p.Client.AttemptTimeout }).JSON("attempt_timeout_s"),
	param.Duration("horizon", "the most virtual time a trial may run", time.Nanosecond, MaxHorizon, "", param.Seconds,
		func(p *Params) *time.Duration { return &p.Horizon }).JSON("horizon_s"),
	param.Float("server-unavailable", "probability that the server answers an attempt \"unavailable\" (a transient failure)", 0, 1,
		func(p *Params) *float64 { return &p.Net.ServerUnavailable }).JSON("server_unavailable").WithUnit("probability"),
	param.Enum("kick-policy", "reconnection-kick policy of every mobile and desktop device without a reconnect_kick of its own (web devices cannot set it): default (a reconnecting device kicks whoever is online) or reconnect-kicked (it is kicked instead)", "",
		[]string{"default", "reconnect-kicked"}, server.ParseKickPolicy, server.KickPolicy.String,
		func(p *Params) *server.KickPolicy { return &p.KickPolicy }).JSON("kick_policy"),
	param.Enum("multi-mobile", "on: several mobile devices of a user may be online at once (the vendor enables it on request); off (the default): one per user, as for desktop, web and mini-program", "",
		[]string{"off", "on"}, parseOnOff, formatOnOff,
		func(p *Params) *bool { return &p.MultiMobile }).JSON("multi_mobile"),
	param.Duration("server-idle-timeout", "server liveness: a live session the server has heard nothing from (no ping, no message) for this long is closed (reason idle); auto is hb-interval + (hb-misses+1) x hb-timeout (60s by default): the time after which the client itself gives up on a silent server, plus one pong wait of slack", 0, MaxDuration, "auto", param.Seconds,
		func(p *Params) *time.Duration { return &p.IdleTimeout }).JSON("server_idle_timeout_s"),
	param.Float("msg-rate", "messages: new messages per second towards each user (Poisson arrivals, normal messages of conversation 0); 0: only the scenario's message ops", 0, MaxMsgRate,
		func(p *Params) *float64 { return &p.Msg.Rate }).JSON("msg_rate_per_s").WithUnit("per second"),
	param.Enum("multi-device-sync", "messages: on, every device of the user gets every message; off (the vendor's default), once one device has it the others do not", "",
		[]string{"off", "on"}, parseOnOff, formatOnOff,
		func(p *Params) *bool { return &p.Msg.MultiDeviceSync }).JSON("multi_device_sync"),
	param.Duration("offline-retention", "messages: the server keeps a stored (offline) message this long, then drops it (the vendor's default 7 days, settable 1 to 7 days)", time.Second, MaxDuration, "", param.Seconds,
		func(p *Params) *time.Duration { return &p.Msg.Retention }).JSON("offline_retention_s"),
	param.Duration("push-latency", "messages: mean time from the server's push to the notification on the device", 0, MaxDuration, "", param.Millis,
		func(p *Params) *time.Duration { return &p.Msg.PushLatency }).JSON("push_latency_ms"),
	param.Enum("push-latency-dist", "messages: push latency distribution: exponential with mean --push-latency, or constant", "",
		[]string{"exponential", "constant"}, parsePushDist, PushDist.String,
		func(p *Params) *PushDist { return &p.Msg.PushDist }).JSON("push_latency_dist"),
	param.Duration("db-open", "time to open the local database (onDatabaseOpened)", 0, MaxDuration, "", param.Millis,
		func(p *Params) *time.Duration { return &p.Client.DBOpen }).JSON("db_open_ms"),
	param.Float("db-open-error", "probability that opening the local database fails: onDatabaseOpened(DATABASE_OPEN_ERROR 33002); the connection goes on", 0, 1,
		func(p *Params) *float64 { return &p.Client.DBOpenError }).JSON("db_open_error").WithUnit("probability"),
	param.Duration("hb-interval", "heartbeat: from the last pong to the next ping", time.Millisecond, MaxDuration, "", param.Seconds,
		func(p *Params) *time.Duration { return &p.Client.HBInterval }).JSON("hb_interval_s"),
	param.Duration("hb-timeout", "heartbeat: how long a ping waits for its pong", time.Millisecond, MaxDuration, "", param.Seconds,
		func(p *Params) *time.Duration { return &p.Client.HBTimeout }).JSON("hb_timeout_s"),
	param.Int("hb-misses", "heartbeat: consecutive missed pongs that mean the connection is lost", 1, 100,
		func(p *Params) *int { return &p.Client.HBMisses }).JSON("hb_misses"),
	param.Forms("policy", "reconnection policy: the gap before the next attempt after each transient failure (grpc also raises the attempt timeout to at least 20s)", fsm.PolicyForms,
		fsm.ParsePolicy, fsm.Policy.String,
		func(p *Params) *fsm.Policy { return &p.Client.Policy }).JSON("policy").Profile("web", "web"),
	param.Enum("policy-jitter", "jitter on top of --policy, as in \"Exponential Backoff and Jitter\" (AWS, 2015); grpc has its own", "",
		fsm.JitterNames(), fsm.ParseJitter, fsm.Jitter.String,
		func(p *Params) *fsm.Jitter { return &p.Client.Jitter }).JSON("policy_jitter"),
	param.Duration("bg-disconnect-after", "app lifecycle: the SDK closes its connection after this long in the background and reconnects on foreground (only ios's machine has this edge)", 0, MaxDuration, "never", param.Seconds,
		func(p *Params) *time.Duration { return &p.Client.BgDisconnectAfter }).JSON("bg_disconnect_after_s").Profile("ios", "2m"),
	param.Duration("bg-suspend-after", "app lifecycle: the OS freezes the app's process after this long in the background; no traffic until the foreground", 0, MaxDuration, "never", param.Seconds,
		func(p *Params) *time.Duration { return &p.Client.BgSuspendAfter }).JSON("bg_suspend_after_s"),
	param.Duration("ipc-down-for", "android: the link to the SDK's connection process stays down this long after it breaks (ipc_disconnect); meanwhile attempts fail and a Connect gets IPC_DISCONNECT (-2) at once, and the SDK connects by itself when the link is back", 0, MaxDuration, "instant", param.Millis,
		func(p *Params) *time.Duration { return &p.Client.IPCDownFor }).JSON("ipc_down_for_ms"),
	param.Enum("native-lib", "android: present, or missing (the SDK's native library for the CPU cannot be loaded: every Connect gets IPC_DISCONNECT (-2) at once, for good)", "",
		[]string{"present", "missing"}, parseMissing, formatMissing,
		func(p *Params) *bool { return &p.Client.NativeLibMissing }).JSON("native_lib"),
	quirkParam,
	param.Enum("api", "the app's binding: native (a Connect refused at once gets onError) or wrapper (Flutter, React Native, uni-app: connect returns the refusal's code at once, and a non-zero code means no callback)", "",
		[]string{"native", "wrapper"}, fsm.ParseAPI, fsm.API.String,
		func(p *Params) *fsm.API { return &p.Client.API }).JSON("api"),
	// The attempt's anatomy (model/anatomy.go).
	param.Enum("attempt", "what one attempt is: auth (one auth round trip) or full (the navigation request unless a fresh answer is cached for the token, a socket to each listed server in turn until one opens, --tls round trips, then auth; docs/model.md)", "",
		[]string{"auth", "full"}, fsm.ParseAttempt, fsm.AttemptMode.String,
		func(p *Params) *fsm.AttemptMode { return &p.Client.Attempt }).JSON("attempt"),
	param.Duration("navi-timeout", "the attempt's anatomy: the navigation request fails (transiently) with no answer by then (the web engine's XHR timeout); the attempt timeout still bounds the whole attempt", time.Millisecond, MaxDuration, "", param.Seconds,
		func(p *Params) *time.Duration { return &p.Client.NaviTimeout }).JSON("navi_timeout_s"),
	param.Duration("navi-ttl", "the attempt's anatomy: a navigation answer is reused for the same token this long (the web engine's cache: 2 h)", 0, MaxDuration, "no cache", param.Seconds,
		func(p *Params) *time.Duration { return &p.Client.NaviTTL }).JSON("navi_ttl_s"),
	param.Int("tls", "the attempt's anatomy: TLS round trips after the socket opens (0: ws or plain TCP, 1: TLS 1.3, 2: TLS 1.2)", 0, fsm.MaxTLS,
		func(p *Params) *int { return &p.Client.TLS }).JSON("tls").WithUnit("round trips"),
	param.Int("servers", "the attempt's anatomy: IM servers the navigation answer lists; an attempt tries them in order", 1, fsm.MaxServers,
		func(p *Params) *int { return &p.Client.Servers }).JSON("servers").WithUnit("count"),
	param.Enum("visit", "the attempt's anatomy: first (a fresh install: the first attempt asks the navigation service) or returning (each device's first Connect finds its token's navigation answer cached and its database stored)", "",
		[]string{"first", "returning"}, parseVisit, formatVisit,
		func(p *Params) *bool { return &p.Client.Returning }).JSON("visit"),
	param.Float("navi-unavailable", "the attempt's anatomy: probability that the navigation service fails a request (HTTP error: a transient failure, 30007 on web), apart from --server-unavailable", 0, 1,
		func(p *Params) *float64 { return &p.NaviUnavailable }).JSON("navi_unavailable").WithUnit("probability"),
	serverDownParam.JSON("server_down"),
	// No JSON key: the budget is not a model parameter and leaves the
	// output unchanged; it only stops a trial that would run away.
	param.Int("max-events", "work budget: the most events one trial may run; a trial over it stops the command (exit 2); the default admits a 30-day trial of 15 s heartbeats", 1, MaxMaxEvents,
		func(p *Params) *int { return &p.MaxEvents }).WithUnit("count"),
)

// formatLossModel is --loss-model's text: "bernoulli" unless a GE chain.
func formatLossModel(m netmodel.LossModel) string {
	if m.Kind == netmodel.KindInherit || m.Kind == netmodel.KindBernoulli {
		return "bernoulli"
	}
	return m.String()
}

// parseLossDir parses --loss-up/--loss-down; "same" means not set (the
// direction has the loss of --loss and --loss-model).
func parseLossDir(s string) (netmodel.LossModel, error) {
	if s == "same" {
		return netmodel.LossModel{}, nil
	}
	return netmodel.ParseLossSpec("", s)
}

// formatLossDir is --loss-up/--loss-down's text: "same" when not set.
func formatLossDir(m netmodel.LossModel) string {
	if m.Kind == netmodel.KindInherit {
		return "same"
	}
	return m.String()
}

// quirkParam is --quirk: a set of quirk names, repeatable or separated by
// commas; "quirks" in --json, left out when empty.
var quirkParam = param.Custom("quirk", "switch on a documented hazard of spec section 9 (repeatable or comma-separated); 'list' lists them",
	"names", "names", "quirk names: "+strings.Join(fsm.QuirkNames(), ", "), param.Ops[Params]{
		Set: func(p *Params, s string) error {
			for _, name := range strings.Split(s, ",") {
				q, err := fsm.ParseQuirk(strings.TrimSpace(name))
				if err != nil {
					return errors.New("must be quirk names (repeat the flag or separate with commas): " +
						strings.Join(fsm.QuirkNames(), ", ") + " (got \"" + name + "\")")
				}
				p.Client.Quirks |= q
			}
			return nil
		},
		Get: func(p *Params) string { return p.Client.Quirks.String() },
		JSON: func(p *Params) (any, bool) {
			return p.Client.Quirks.Names(), p.Client.Quirks != 0
		},
		Copy:  func(dst, src *Params) { dst.Client.Quirks = src.Client.Quirks },
		Reset: func(p *Params) { p.Client.Quirks = 0 },
		Slice: func(p *Params) []string { return p.Client.Quirks.Names() },
	}).JSON("quirks")

// Validate returns a one-line error naming the flag and its accepted range.
// ServerIdleTimeout returns the server's liveness timeout: IdleTimeout, or
// when it is 0 (auto) the time a client takes to give up on a silent
// server itself (hb-interval until its ping, then hb-misses pongs missed
// of hb-timeout each), plus one more hb-timeout of slack for the latency
// between the server hearing a ping and the client hearing its pong. A
// server that waits this long does not close the session of a client that
// still believes it is connected (docs/model.md, server liveness).
func (p Params) ServerIdleTimeout() time.Duration {
	if p.IdleTimeout > 0 {
		return p.IdleTimeout
	}
	c := p.Client
	return c.HBInterval + time.Duration(c.HBMisses+1)*c.HBTimeout
}

func (p Params) Validate() error {
	if err := Registry.Check(&p); err != nil {
		return err
	}
	// What the registry does not cover (the schedule) is checked here.
	if err := p.Net.Validate(); err != nil {
		return err
	}
	if err := p.Client.Validate(); err != nil {
		return err
	}
	if err := p.validateAnatomy(); err != nil {
		return err
	}
	return p.validateProfile()
}
