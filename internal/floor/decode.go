package floor

// Fields are the fields of a trace record the floor decoder keeps: the
// number fields as integers (times in nanoseconds), the string fields as
// the bytes of the line, unchecked and not copied.
type Fields struct {
	T, Dev, Call, Token, N, Streak, Seq, Code, Listeners int64
	Kind, Op, Name, Phase, Reason, Status, From          []byte
	Auto, Push                                           bool
}

// Decode is the floor of reading a JSON Lines trace: it splits data into
// lines and decodes each line's keys and values into f, trusting the line
// to be what 'sim trace' writes (one flat object of strings without
// escapes, numbers and booleans; nothing is validated, no error is
// worded, unknown keys are skipped), calling visit after each. It returns
// the number of records.
func Decode(data []byte, visit func(*Fields)) int {
	var f Fields
	n := 0
	for len(data) > 0 {
		end := 0
		for end < len(data) && data[end] != '\n' {
			end++
		}
		line := data[:end]
		if end < len(data) {
			end++
		}
		data = data[end:]
		if len(line) == 0 {
			continue
		}
		f = Fields{}
		decodeLine(line, &f)
		visit(&f)
		n++
	}
	return n
}

// decodeLine decodes one object: "key":value pairs between its braces.
func decodeLine(b []byte, f *Fields) {
	i := 1 // past '{'
	for i < len(b) && b[i] == '"' {
		j := i + 1
		for j < len(b) && b[j] != '"' {
			j++
		}
		key := b[i+1 : j]
		i = j + 2 // past '":'
		if i >= len(b) {
			return
		}
		if b[i] == '"' {
			j = i + 1
			for j < len(b) && b[j] != '"' {
				j++
			}
			setString(f, key, b[i+1:j])
			i = j + 1
		} else {
			j = i
			for j < len(b) && b[j] != ',' && b[j] != '}' {
				j++
			}
			setValue(f, key, b[i:j])
			i = j
		}
		i++ // past ',' or '}'
	}
}

func setString(f *Fields, key, v []byte) {
	switch string(key) {
	case "kind":
		f.Kind = v
	case "op":
		f.Op = v
	case "name":
		f.Name = v
	case "phase":
		f.Phase = v
	case "reason":
		f.Reason = v
	case "status":
		f.Status = v
	case "from":
		f.From = v
	}
}

func setValue(f *Fields, key, v []byte) {
	switch string(key) {
	case "t":
		f.T = seconds(v)
	case "dev":
		f.Dev = integer(v)
	case "call":
		f.Call = integer(v)
	case "token":
		f.Token = integer(v)
	case "n":
		f.N = integer(v)
	case "streak":
		f.Streak = integer(v)
	case "seq":
		f.Seq = integer(v)
	case "code":
		f.Code = integer(v)
	case "listeners":
		f.Listeners = integer(v)
	case "auto":
		f.Auto = len(v) > 0 && v[0] == 't'
	case "push":
		f.Push = len(v) > 0 && v[0] == 't'
	}
}

// integer reads an optionally negative decimal integer.
func integer(v []byte) int64 {
	neg := len(v) > 0 && v[0] == '-'
	if neg {
		v = v[1:]
	}
	var n int64
	for _, c := range v {
		n = n*10 + int64(c-'0')
	}
	if neg {
		return -n
	}
	return n
}

// seconds reads a decimal number of seconds as nanoseconds.
func seconds(v []byte) int64 {
	var whole, frac, scale int64 = 0, 0, 1_000_000_000
	i := 0
	for ; i < len(v) && v[i] != '.'; i++ {
		whole = whole*10 + int64(v[i]-'0')
	}
	for i++; i < len(v) && scale > 1; i++ {
		scale /= 10
		frac += int64(v[i]-'0') * scale
	}
	return whole*1_000_000_000 + frac
}
