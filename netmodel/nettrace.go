package netmodel

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/internal/infile"
)

// Limits of a network trace file: it is read whole, so it is bounded.
const (
	MaxTraceBytes = 1 << 20 // 1 MiB
	MaxTraceRows  = 20000
	// MaxTraceTime bounds a row's time (the longest horizon, 30 days).
	MaxTraceTime = 30 * 24 * time.Hour
)

// TraceRow is one row of a network trace: from At on, the device's network
// is Up (or not), of network type Type, with loss Loss and one-way latency
// Latency. Loss.Kind == KindInherit and Latency < 0 mean "unchanged".
type TraceRow struct {
	At      time.Duration
	Up      bool
	Type    string
	Loss    LossModel
	Latency time.Duration
	Line    int // line in the file, for errors
}

// TraceHeader is the header line a trace file must start with (after
// comments).
const TraceHeader = "time,state,type,loss,latency"

// LoadTrace reads a network trace file (see ParseTrace).
func LoadTrace(path string) ([]TraceRow, error) {
	f, err := infile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	return ParseTrace(path, f)
}

// ParseTrace reads a network trace: CSV with the header
// time,state,type,loss,latency, then one row per change, in time order:
//
//   - time: a Go duration since the trial began (0s, 1m30s), >= the
//     previous row's, at most 720h;
//   - state: up or down;
//   - type: the network type, a name such as wifi or cellular (letters,
//     digits, -, _); a new type while up is a network change (the socket
//     dies, the SDK reconnects);
//   - loss: a probability in [0,1] or ge:P,R,1-H,1-K (quoted, it has
//     commas); empty: unchanged;
//   - latency: a one-way Go duration >= 0 (at most 1h); empty: unchanged.
//
// Lines starting with # and blank lines are skipped. Errors read
// "NAME:LINE: field: must be ... (got ...)". The file may hold at most
// MaxTraceBytes and MaxTraceRows rows.
func ParseTrace(name string, r io.Reader) ([]TraceRow, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxTraceBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(b) > MaxTraceBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes: a trace must be at most 1 MiB", name, MaxTraceBytes)
	}
	cr := csv.NewReader(strings.NewReader(string(b)))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var rows []TraceRow
	header := false
	prev := time.Duration(0)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		line, _ := cr.FieldPos(0) // valid only after a successful Read
		at := func(field, msg string, got string) error {
			return fmt.Errorf("%s:%d: %s: must be %s (got %q)", name, line, field, msg, got)
		}
		if !header {
			if strings.Join(rec, ",") != TraceHeader {
				return nil, at("header", TraceHeader, strings.Join(rec, ","))
			}
			header = true
			continue
		}
		if len(rec) != 5 {
			want := "5 fields: " + TraceHeader
			if strings.Contains(strings.Join(rec, ","), "ge:") {
				want += ", with a ge: loss in double quotes (it has commas)"
			}
			return nil, at("row", want, strings.Join(rec, ","))
		}
		if len(rows) == MaxTraceRows {
			return nil, fmt.Errorf("%s:%d: more than %d rows: a trace must be at most %d rows", name, line, MaxTraceRows, MaxTraceRows)
		}
		row := TraceRow{Line: line, Latency: -1}
		f := func(i int) string { return strings.TrimSpace(rec[i]) }
		t, err := parseDur(f(0))
		if err != nil || t < 0 || t > MaxTraceTime {
			return nil, at("time", "a Go duration between 0 and 720h", f(0))
		}
		if t < prev {
			return nil, at("time", "at least the previous row's "+prev.String(), f(0))
		}
		prev, row.At = t, t
		switch f(1) {
		case "up":
			row.Up = true
		case "down":
		default:
			return nil, at("state", "up or down", f(1))
		}
		if row.Type = f(2); !typeName(row.Type) {
			return nil, at("type", "a network type name (letters, digits, - or _, at most 32)", f(2))
		}
		if s := f(3); s != "" {
			m, err := ParseLossSpec("loss", s)
			if err != nil {
				return nil, at("loss", "a probability between 0 and 1 or ge:P,R,1-H,1-K, or empty", s)
			}
			row.Loss = m
		}
		if s := f(4); s != "" {
			d, err := parseDur(s)
			if err != nil || d < 0 || d > time.Hour {
				return nil, at("latency", "a Go duration between 0 and 1h, or empty", s)
			}
			row.Latency = d
		}
		rows = append(rows, row)
	}
	if !header {
		return nil, fmt.Errorf("%s:1: header: must be %s (got an empty file)", name, TraceHeader)
	}
	return rows, nil
}

func parseDur(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

func typeName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// FormatTraceRow writes row as one CSV line of a trace file (no newline).
func FormatTraceRow(row TraceRow) string {
	state := "down"
	if row.Up {
		state = "up"
	}
	loss := row.Loss.String()
	if strings.Contains(loss, ",") {
		loss = strconv.Quote(loss)
	}
	lat := ""
	if row.Latency >= 0 {
		lat = row.Latency.String()
	}
	return row.At.String() + "," + state + "," + row.Type + "," + loss + "," + lat
}
