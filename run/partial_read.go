package run

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"syscall"

	"github.com/rcsim/connsim/internal/infile"
)

// Bounds of a partial's text, checked as it is read, before any of it is
// parsed: the header (every field before "result") holds at most
// maxHeaderBytes, and an accumulator of a shard of T trials that holds L
// message latencies (the header's msg_latencies) at most AccBound(T, L)
// bytes (a time to connect or a latency is at most 17 characters, comma
// included). A forged 200 MB partial of a few trials is refused after
// reading a MiB, not after parsing it (1.1 GB, 17 s).
const (
	maxHeaderBytes  = 1 << 20
	accSlack        = 1 << 20 // attempt counts, failing trials' messages, errors
	bytesPerTrial   = 32
	bytesPerLatency = 17
)

// AccBound is the most bytes the accumulator of trials trials and
// latencies message latencies may take.
func AccBound(trials int, latencies int64) int64 {
	return accSlack + bytesPerTrial*int64(trials) + bytesPerLatency*latencies
}

// PartialReader is one open partial file: its header, read and checked,
// and a decoder positioned at its result, which is read as it is needed
// (a sweep partial one grid point at a time, so that merging holds one
// point of every shard in memory, not whole files).
type PartialReader struct {
	Name   string
	f      io.Closer
	lr     *io.LimitedReader
	Dec    *json.Decoder
	Header PartialHeader // without Result
	Acc    *Acc          // a run partial's result, read at once (the first's: all merged)
	Sum    ResultSum     // of the accumulators read so far
	// what and limit name the part being read and its bound, for the
	// error when lr runs out.
	what  string
	limit int64
}

// Allow lets the decoder read at most n more bytes of the file, for the
// part named what.
func (pr *PartialReader) Allow(what string, n int64) {
	pr.what, pr.limit = what, n
	pr.lr.N = n + 1
}

// CheckSum checks, once the whole result is read, that it is the result
// the shard wrote (pf.ResultSum).
func (pr *PartialReader) CheckSum() error {
	if got := pr.Sum.String(); got != pr.Header.ResultSum {
		return fmt.Errorf("%s: result_sha256: the result's digest is %s, not %s: the file changed after the shard wrote it", pr.Name, got, pr.Header.ResultSum)
	}
	return nil
}

func (pr *PartialReader) Close() {
	if pr != nil && pr.f != nil {
		pr.f.Close()
		pr.f = nil
	}
}

// readRun reads a run partial's result and closes the file: run partials
// are read one after the other, so that merging any number of them keeps
// one file open.
func (pr *PartialReader) readRun() error {
	defer pr.Close()
	var raw json.RawMessage
	pr.Allow(fmt.Sprintf("result (shard of %d trials%s)", pr.Header.To-pr.Header.From, pr.LatText()), AccBound(pr.Header.To-pr.Header.From, pr.Header.Latencies))
	if err := pr.Dec.Decode(&raw); err != nil {
		return pr.Fail("result", err)
	}
	if err := pr.End(); err != nil {
		return err
	}
	pr.Sum.Add(raw)
	if err := pr.CheckSum(); err != nil {
		return err
	}
	a, err := UnmarshalPartial(raw, pr.Header.From, pr.Header.To)
	if err != nil {
		return fmt.Errorf("%s: result: %v", pr.Name, err)
	}
	if n := a.MsgLatencies(); n != pr.Header.Latencies {
		return fmt.Errorf("%s: result: %d message latencies; msg_latencies says %d", pr.Name, n, pr.Header.Latencies)
	}
	pr.Acc = a
	return nil
}

// LatText is ", L message latencies" for a partial that declares some,
// else "".
func (pr *PartialReader) LatText() string {
	if pr.Header.Latencies == 0 {
		return ""
	}
	return fmt.Sprintf(", at most %d message latencies per accumulator", pr.Header.Latencies)
}

// Fail words a decoding error of the partial's part what.
func (pr *PartialReader) Fail(what string, err error) error {
	if pr.lr.N <= 0 {
		return fmt.Errorf("%s: %s: longer than %d bytes, the most it may take", pr.Name, pr.what, pr.limit)
	}
	return fmt.Errorf("%s: %s: %s", pr.Name, what, JSONErrorText(err))
}

// End reads the end of the partial: the object's closing brace, then
// nothing but blanks.
func (pr *PartialReader) End() error {
	if t, err := pr.Dec.Token(); err != nil || t != json.Delim('}') {
		return pr.Fail("result", fmt.Errorf("want the end of the partial after the result (got %s)", TokenText(t, err)))
	}
	if t, err := pr.Dec.Token(); err != io.EOF {
		return pr.Fail("result", fmt.Errorf("data after the partial (%s)", TokenText(t, err)))
	}
	return nil
}

// TokenText words what a JSON decoder found where it wanted something
// else: a token, the end of the file, or a syntax error, without Go's
// internals ("<nil>", type names).
func TokenText(t json.Token, err error) string {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the end of the file"
	case err != nil:
		return JSONErrorText(err)
	}
	switch v := t.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(v))
	case string:
		return fmt.Sprintf("the string %q", v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}

// OpenPartials opens every file, reads and checks its header, and checks
// that the partials are the shards of one run or sweep, each once; a run
// partial's result is read too. On an error it returns the readers opened
// so far, for the caller to close. The files of a sweep's partials stay
// open, to be read side by side one grid point at a time.
func OpenPartials(files []string, stdin io.Reader) ([]*PartialReader, error) {
	var prs []*PartialReader
	seen := map[int]string{}
	if n := len(slices.DeleteFunc(slices.Clone(files), func(f string) bool { return f != "-" })); n > 1 {
		return nil, errors.New("-: standard input is given twice; it holds one partial")
	}
	for _, name := range files {
		pr, err := OpenPartial(name, stdin)
		if errors.Is(err, syscall.EMFILE) { // not the input's fault: errors.Is tells it (exit 1)
			return prs, fmt.Errorf("%s: %w (sim merge keeps a sweep's partials open together: raise ulimit -n above the number of shards)", name, err)
		}
		if err != nil {
			return prs, fmt.Errorf("%s: %v", name, err)
		}
		prs = append(prs, pr)
		pf, first := &pr.Header, &prs[0].Header
		switch {
		case pf.Command != first.Command:
			return prs, fmt.Errorf("%s: a partial of sim %s; %s is one of sim %s (merge the shards of one command)", name, pf.Command, files[0], first.Command)
		case pf.Seed != first.Seed || pf.Trials != first.Trials || pf.Shards != first.Shards:
			return prs, fmt.Errorf("%s: seed %d, %d trials in %d shards; %s has seed %d, %d trials in %d shards",
				name, pf.Seed, pf.Trials, pf.Shards, files[0], first.Seed, first.Trials, first.Shards)
		case firstDiffKey(pf.Params, first.Params) != "":
			return prs, fmt.Errorf("%s: params differ from %s's (%s)", name, files[0], firstDiffKey(pf.Params, first.Params))
		case !bytes.Equal(pf.Grid, first.Grid):
			return prs, fmt.Errorf("%s: grid differs from %s's (another sweep's axes)", name, files[0])
		case !slices.Equal(pf.Flags, first.Flags):
			return prs, fmt.Errorf("%s: flags differ from %s's", name, files[0])
		case pf.Digest != first.Digest:
			return prs, fmt.Errorf("%s: ran other parameters or another scenario than %s", name, files[0])
		}
		if prev, ok := seen[pf.Shard]; ok {
			return prs, fmt.Errorf("%s: shard %d/%d again (also in %s)", name, pf.Shard, pf.Shards, prev)
		}
		seen[pf.Shard] = name
		if pf.Command == "run" {
			if err := pr.readRun(); err != nil {
				return prs, err
			}
			if len(prs) > 1 { // merged as read: one partial's times at a time beside the merged ones
				prs[0].Acc.Merge(pr.Acc)
				pr.Acc = nil
			}
		}
	}
	if n := prs[0].Header.Shards; len(seen) != n {
		missing := 0
		for seen[missing] != "" {
			missing++
		}
		return prs, fmt.Errorf("%d of %d shards given; missing shard %d", len(seen), n, missing)
	}
	return prs, nil
}

// MergeRuns is the merge of run partials (OpenPartials merged their
// results into the first's).
func MergeRuns(prs []*PartialReader) *Merged {
	first := &prs[0].Header
	return &Merged{Acc: prs[0].Acc, MergedHeader: MergedHeader{Trials: first.Trials, Seed: first.Seed, Digest: first.Digest}}
}

// OpenPartial opens one partial result file and reads and checks its
// header: every field before "result", which must come last (as sim
// writes it).
func OpenPartial(name string, stdin io.Reader) (*PartialReader, error) {
	var f io.ReadCloser
	if name == "-" {
		f = io.NopCloser(stdin)
	} else {
		g, err := infile.Open(name)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return nil, pe.Err
			}
			return nil, err
		}
		f = g
	}
	// Decoded as it is read: a file that is not JSON (/dev/zero) fails at
	// its first byte, and no part is read past its bound (Allow).
	lr := &io.LimitedReader{R: f}
	pr := &PartialReader{Name: name, f: f, lr: lr, Dec: json.NewDecoder(lr), Sum: NewResultSum()}
	pr.Dec.DisallowUnknownFields() // a sweep point holds point_sha256 and accs, nothing else
	pr.Allow("the fields before result", maxHeaderBytes)
	if err := pr.readHeader(); err != nil {
		f.Close()
		if lr.N <= 0 {
			return nil, fmt.Errorf("%s: longer than %d bytes, the most they may take", pr.what, pr.limit)
		}
		return nil, err
	}
	return pr, nil
}

// readHeader reads the partial's fields up to "result" and checks them.
func (pr *PartialReader) readHeader() error {
	notPartial := func(err error) error {
		return fmt.Errorf("not a partial result of sim run --shard or sim sweep --shard: %s", JSONErrorText(err))
	}
	if t, err := pr.Dec.Token(); err != nil || t != json.Delim('{') {
		return notPartial(fmt.Errorf("want a JSON object, got %s", TokenText(t, err)))
	}
	// The fields before "result", copied into one object and decoded
	// strictly (an unknown field is refused).
	var hdr bytes.Buffer
	hdr.WriteByte('{')
	result := false
	for pr.Dec.More() {
		t, err := pr.Dec.Token()
		if err != nil {
			return notPartial(err)
		}
		key, _ := t.(string)
		if key == "result" {
			result = true
			break
		}
		var v json.RawMessage
		if err := pr.Dec.Decode(&v); err != nil {
			return notPartial(err)
		}
		if hdr.Len() > 1 {
			hdr.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		hdr.Write(k)
		hdr.WriteByte(':')
		hdr.Write(v)
	}
	hdr.WriteByte('}')
	// An older format is refused by name before its fields are.
	var v struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if json.Unmarshal(hdr.Bytes(), &v) == nil && v.Format == PartialFormat && v.Version < PartialVersion && v.Version > 0 {
		return fmt.Errorf("a partial of format %d, written by an older sim: run its shard again (this sim reads format %d)", v.Version, PartialVersion)
	}
	dec := json.NewDecoder(&hdr)
	dec.DisallowUnknownFields()
	pf := &pr.Header
	if err := dec.Decode(pf); err != nil {
		return notPartial(err)
	}
	if pf.Format != PartialFormat || pf.Version != PartialVersion || (pf.Command != "run" && pf.Command != "sweep") {
		return fmt.Errorf("format %q version %d command %q; want %s version %d of sim run or sim sweep", pf.Format, pf.Version, pf.Command, PartialFormat, PartialVersion)
	}
	if !result {
		return notPartial(errors.New("no result"))
	}
	if pf.Latencies < 0 || pf.Latencies > PartialLatencyCap {
		return fmt.Errorf("msg_latencies is %d; it must be between 0 and %d", pf.Latencies, PartialLatencyCap)
	}
	if _, err := hex.DecodeString(pf.ResultSum); err != nil || len(pf.ResultSum) != 64 {
		return fmt.Errorf("result_sha256: want 64 hex digits (got %q)", pf.ResultSum)
	}
	for _, f := range pf.Flags {
		if f.Name == "" || strings.HasPrefix(f.Name, "-") || slices.Contains(UnstoredFlags, f.Name) {
			return fmt.Errorf("flags: %q is not a flag of the %s's parameters", f.Name, pf.Command)
		}
	}
	if pf.Params == nil {
		return errors.New("params: missing")
	}
	if (pf.Command == "sweep") != (len(pf.Grid) > 0) {
		return fmt.Errorf("grid: a partial of sim %s has %s", pf.Command, map[bool]string{true: "one", false: "none"}[len(pf.Grid) > 0])
	}
	if pf.Trials < 1 || pf.Trials > MaxTrials || pf.Shards < 1 || pf.Shards > min(pf.Trials, MaxShards) || pf.Shard < 0 || pf.Shard >= pf.Shards {
		return fmt.Errorf("shard %d/%d of %d trials is out of range", pf.Shard, pf.Shards, pf.Trials)
	}
	if from, to := ShardRange(pf.Shard, pf.Shards, pf.Trials); pf.From != from || pf.To != to {
		return fmt.Errorf("shard %d/%d of %d trials covers trials %d to %d, not %d to %d", pf.Shard, pf.Shards, pf.Trials, from, to-1, pf.From, pf.To-1)
	}
	return nil
}

// firstDiffKey names the first key, in sorted order, whose value differs
// between two params maps ("" when they are equal).
func firstDiffKey(a, b map[string]string) string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		va, oka := a[k]
		vb, okb := b[k]
		if va != vb || oka != okb {
			return fmt.Sprintf("%s %q, not %q", k, va, vb)
		}
	}
	return ""
}
