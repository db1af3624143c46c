package fsm

import "github.com/rcsim/connsim/vocab"

// MsgKind names a message of the client/server protocol.
type MsgKind uint8

// The protocol. Client to server: Auth, Ping, Close, Ack, Pull. Server to
// client: AuthReply, Pong, Closed, Deliver, PullReply. The message kinds
// (Deliver, Ack, Pull, PullReply) belong to the SDK's message layer
// (package inbox); the client core ignores them.
const (
	MsgAuth      MsgKind = iota + 1 // one attempt's handshake request
	MsgAuthReply                    // the server's answer to an Auth: Code is OK, an error code, ReplyUnavailable or ReplyKicked
	MsgPing                         // heartbeat request on session Seq
	MsgPong                         // heartbeat answer on session Seq
	MsgClose                        // the client abandons attempts and sessions up to Seq: Code OK for Disconnect/Logout ("logout"), else an abandoned attempt (timeout, late answer)
	MsgClosed                       // the server closed session Seq; Code is ClosedKicked, ClosedBlocked or ClosedGone
	MsgDeliver                      // a message for the user on session Seq: ID, Prev (the device's previous message still unacknowledged, 0: none), Conv, Status
	MsgAck                          // the device has shown every message it needs up to ID (cumulative), on session Seq
	MsgPull                         // on session Seq, the device asks for every stored message it needs after ID
	MsgPullReply                    // the answer to a Pull on session Seq: the world's batch Batch of N messages, in id order
	MsgNavi                         // attempt Seq's navigation request (attempt full), to the navigation service: Token, AppKey
	MsgNaviReply                    // the navigation answer to attempt Seq: Code OK with N servers, ReplyUnavailable (the service failed: HTTP error), or ConnTokenIncorrect (the token refused: HTTP 401/403)
	MsgOpen                         // attempt Seq opens a socket to server N (ID 0) or sends TLS flight ID (1 to Config.TLS) on it
	MsgOpenAck                      // server N's answer to an Open of attempt Seq, round ID: Code OK, or ReplyUnavailable (the server refuses the socket: down)
)

// msgWords are the kinds' names in a trace (KMsg's msg).
var msgWords = [...]vocab.Word{vocab.MsgUnknown, vocab.MsgAuth, vocab.MsgAuthReply, vocab.MsgPing, vocab.MsgPong, vocab.MsgClose, vocab.MsgClosed,
	vocab.MsgDeliver, vocab.MsgAck, vocab.MsgPull, vocab.MsgPullReply, vocab.MsgNavi, vocab.MsgNaviReply, vocab.MsgOpen, vocab.MsgOpenAck}

// Word returns the kind's name in a trace (vocab.MsgUnknown, "?", for no
// kind).
func (k MsgKind) Word() vocab.Word {
	if int(k) < len(msgWords) {
		return msgWords[k]
	}
	return vocab.MsgUnknown
}

func (k MsgKind) String() string { return k.Word().String() }

// ToServer reports whether messages of this kind travel from client to server.
func (k MsgKind) ToServer() bool {
	return k == MsgAuth || k == MsgPing || k == MsgClose || k == MsgAck || k == MsgPull || k == MsgNavi || k == MsgOpen
}

// Step reports whether messages of this kind belong to an attempt's steps
// before its auth (navigation, socket, TLS: attempt full), which the IM
// server's session rules never see: the world answers them (the
// navigation service, the server list's sockets).
func (k MsgKind) Step() bool {
	return k == MsgNavi || k == MsgNaviReply || k == MsgOpen || k == MsgOpenAck
}

// Reply codes that are not SDK error codes. They never reach onError.
const (
	// ReplyUnavailable: the server is briefly unavailable; a transient failure.
	ReplyUnavailable Code = -1000
	// ReplyKicked: reconnection-kick policy on and another device of the user
	// is online; the reconnecting device is kicked instead (spec section 7).
	ReplyKicked Code = -1001
)

// Reasons carried by MsgClosed (in Msg.Code).
const (
	ClosedKicked  Code = -2001 // another device of the user and platform class took over
	ClosedBlocked Code = -2002 // the user was blocked
	ClosedGone    Code = -2003 // the server holds no such session (closed or replaced)
)

// CloseBackground is the Code of the Close the SDK sends when it
// disconnects after a while in the background (docs/profiles.md): the
// server closes the session with reason "background", push allowed.
const CloseBackground Code = -2004

// Msg is one protocol message. It is a flat value so that the simulator can
// carry it inside its event queue without allocating.
type Msg struct {
	Kind MsgKind
	// Dev is the sending or receiving device's index.
	Dev int16
	// Auto marks an Auth of an automatic reconnection (after the call's first
	// success), as opposed to the app's own Connect (spec section 7).
	Auto bool
	// Push is the receivePush preference of a Close sent by Disconnect.
	Push bool
	// Seq identifies the attempt (Auth, AuthReply, Close, Closed) or the
	// session and heartbeat (Ping, Pong). Attempt sequence numbers grow
	// strictly per device, over the device's whole life.
	Seq uint32
	// Token and AppKey are indices into the server's tables (Auth, Navi).
	Token  int32
	AppKey int32
	// Code is the answer (AuthReply) or the reason (Closed).
	Code Code
	// ID is a message id (Deliver), the highest id shown (Ack), the id a
	// Pull asks after, or the highest id the device needs (Pong,
	// PullReply), or an Open's round (0: the socket, 1 to Config.TLS: the
	// TLS flights); Prev and Conv describe a Deliver (Status: a status
	// message, never stored); Batch and N locate a PullReply's messages in
	// the world's table. N is also the server index of an Open, OpenAck or
	// Auth (attempt full: the position in the navigation answer's list)
	// and the number of servers a NaviReply lists.
	ID, Prev uint32
	Conv     int32
	Status   bool
	Batch, N int32
}
