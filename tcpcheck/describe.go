package tcpcheck

import (
	"fmt"

	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// describe renders an IPv4/TCP packet as "FLAGS len=N", for traces.
func describe(data []byte) string {
	ip := header.IPv4(data)
	if !ip.IsValid(len(data)) {
		return "malformed"
	}
	t := header.TCP(ip.Payload())
	if len(t) < header.TCPMinimumSize {
		return "malformed"
	}
	return fmt.Sprintf("%-8s len=%d", t.Flags(), len(t)-int(t.DataOffset()))
}
