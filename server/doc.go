// Package server models the IM server of the simulated SDK (spec sections
// 1, 4, 5.4, 5.8, 6, 7 and 8): it validates app key and token on each Auth,
// keeps at most one live session per (user, platform class), answers
// heartbeats, kicks, and applies the reconnection-kick policy.
//
// The server is a plain value driven by Handle (one client-to-server message
// at a time) and by the scripted operations (BlockUser, ExpireToken, ...).
// It has no goroutines, no clock (the caller passes the virtual time) and no
// RNG (the caller decides "unavailable"). Everything it says is appended to
// an Out: messages to devices in Out.Replies, session changes in
// Out.Sessions, both in the order they happen.
//
// Invariants:
//
//   - P10: the server never holds two live sessions of one (user, platform
//     class). Live sessions are indexed by user*3+platform in a slice, so
//     the check is O(1) and needs no map.
//   - Within one call, every session close is appended before the open that
//     would otherwise break P10, and a kick's MsgClosed push is appended
//     before the OK reply of the Auth that caused it.
//   - A device's live session, if any, has the highest seq the server ever
//     opened for that device; an Auth with a seq at or below a seq already
//     opened or abandoned for the device is stale and ignored.
//   - Token expiry and invalidation never close a live session; they are
//     checked again at the next Auth (spec section 8).
//   - After warm-up (slices grown to the trial's size), Reset, the Add
//     methods, Handle and BlockUser do not allocate.
//
// Device, user, token and app key indices are those returned by the Add
// methods. A device index out of range is a programming error and panics;
// token and app key indices out of range are answered as the SDK would
// (31004, 31002).
package server
