package netmodel

import (
	"errors"
	"strconv"
	"strings"
)

// Transport is what carries the client's messages.
type Transport uint8

// The transports. The zero value is TransportMessage.
const (
	// TransportMessage: each message is one datagram, lost or delivered
	// after the latency (the rules of Send).
	TransportMessage Transport = iota
	// TransportTCP: each attempt opens a TCP connection; messages are
	// delayed by retransmission instead of lost (tcp.go).
	TransportTCP
)

// String returns "message" or "tcp".
func (t Transport) String() string {
	switch t {
	case TransportMessage:
		return "message"
	case TransportTCP:
		return "tcp"
	}
	return "transport(" + strconv.Itoa(int(t)) + ")"
}

// ParseTransport returns the transport with CLI name s.
func ParseTransport(s string) (Transport, error) {
	switch s {
	case "message":
		return TransportMessage, nil
	case "tcp":
		return TransportTCP, nil
	}
	return 0, errors.New(`--transport must be message or tcp (got ` + strconv.Quote(s) + `)`)
}

// ParseLossModel parses --loss-model: "bernoulli" (the zero model: Loss
// applies), "ge:P,R,1-H,1-K", or "burst:B" (KindBurst).
func ParseLossModel(s string) (LossModel, error) {
	if s == "bernoulli" {
		return LossModel{}, nil
	}
	if rest, ok := strings.CutPrefix(s, "burst:"); ok {
		b, err := strconv.ParseFloat(rest, 64)
		m := LossModel{Kind: KindBurst, Burst: b}
		if err != nil || m.validate("--loss-model") != nil {
			return LossModel{}, errors.New(`--loss-model must be burst:B with a mean burst length B between 1 and 1000 (got ` + strconv.Quote(s) + `)`)
		}
		return m, nil
	}
	return ParseGE("--loss-model", s)
}
