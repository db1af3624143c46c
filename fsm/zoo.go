package fsm

import (
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

// lateAnswerMutant is the bug zoo's mutants of the late answer (an OK
// answer to the latest attempt after the call ended: the answer and the
// time limit or the Disconnect crossed). It reports whether the mutant
// consumed the answer. Only a build with the zoo tag calls it (authReply
// asks zoo.Enabled first).
func (c *Client) lateAnswerMutant(m Msg) bool {
	if m.Code != OK || m.Seq != c.seq {
		return false
	}
	switch {
	case zoo.Is(zoo.CrossTerminal) && c.status == Timeout:
		c.callback(c.call, vocab.CbSuccess, OK) // P1, P2: the crossing answer succeeds too
	case zoo.Is(zoo.ConnectedAfterDisconnect) && c.status == SignOut:
		c.fire(evConnect) // P5: the answer in flight at Disconnect connects
		c.sessionSeq = m.Seq
		c.fire(evConnected)
		c.setTimer(TimerPing, c.cfg.HBInterval)
		return true
	case zoo.Is(zoo.SuccessAfterDisconnect) && c.status == SignOut && c.call != 0 && !c.has(markEverConnected):
		c.put(markEverConnected, true)
		c.callback(c.call, vocab.CbSuccess, OK) // P12: the call disconnected in its first connect still succeeds
	}
	return false
}
