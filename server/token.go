package server

import "time"

// Token is a token handed out by the app server for (app key, user) (spec
// section 8). Issuing a new token never invalidates older ones.
type Token struct {
	User        int32
	AppKey      int32
	ExpiresAt   time.Duration // virtual time from which it is expired; <= 0: never
	Invalidated bool
}

// Expired reports whether the token is expired at virtual time now.
func (t *Token) Expired(now time.Duration) bool { return t.ExpiresAt > 0 && now >= t.ExpiresAt }

// AddToken registers a token and returns its index.
func (s *Server) AddToken(t Token) int32 {
	s.Tokens = append(s.Tokens, t)
	return int32(len(s.Tokens) - 1)
}

// ExpireToken makes token tok expired from now on (ExpiresAt = now; at
// now <= 0 it becomes 1ns, since 0 means "never"). Live sessions opened
// with it stay open: the token is checked again at the next Auth.
func (s *Server) ExpireToken(now time.Duration, tok int32) {
	s.Tokens[tok].ExpiresAt = max(now, 1)
}

// InvalidateToken invalidates token tok: the next Auth with it gets 31004.
// Live sessions opened with it stay open.
func (s *Server) InvalidateToken(tok int32) {
	s.Tokens[tok].Invalidated = true
}
