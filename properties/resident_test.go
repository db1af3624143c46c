package properties

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// docResidentBytesPerDevice is docs/performance.md's figure for the
// resident memory a Monitor holds per device of manyDevices (one pending
// Connect call, one listener and one wait of P6 each): its state
// (TestStateBytes) and its tables' share, in a process whose heap has
// reused memory (see TestMonitorResidentFollowsState).
const docResidentBytesPerDevice = 320

// residentChildEnv runs TestMonitorResidentFollowsState's measured child.
const residentChildEnv = "PROPERTIES_RESIDENT_CHILD"

// residentDevices is the number of devices the child checks.
const residentDevices = 100_000

// TestMonitorResidentFollowsState runs a Monitor over manyDevices of
// 100,000 devices (1,000,000 records, made one at a time) in a child
// process whose heap first allocated and freed a block of 512 MB, and
// fails when the child's peak resident memory grew by more than twice
// docResidentBytesPerDevice per device meanwhile. Memory the Go runtime
// takes fresh from the system (or has given back to it) is zero, so a
// large allocation from it becomes resident page by page as it is
// written; memory it reuses it zeroes whole, so all of an allocation is
// resident at once: the monitor's memory must follow what it holds, not
// what it has room for (tables given room for 2^20 entries at once held
// 1,579 B per device here, 158 MB). Linux only (/proc/self/status).
func TestMonitorResidentFollowsState(t *testing.T) {
	if os.Getenv(residentChildEnv) == "1" {
		residentChild()
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/status")
	}
	if raceOn {
		t.Skip("the race detector's shadow memory is resident too")
	}
	doc, err := os.ReadFile("../docs/performance.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("about %d B of resident memory per device", docResidentBytesPerDevice); !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), want) {
		t.Errorf("docs/performance.md does not say %q", want)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMonitorResidentFollowsState$", "-test.count=1")
	cmd.Env = append(os.Environ(), residentChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var grew int64
	for l := range strings.Lines(string(out)) {
		if why, ok := strings.CutPrefix(strings.TrimSpace(l), "skip: "); ok {
			t.Skip(why)
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "resident growth: "); ok {
			grew, err = strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatalf("child: %q: %v", l, err)
			}
		}
	}
	if grew == 0 {
		t.Fatalf("child gave no figure:\n%s", out)
	}
	per := float64(grew) / residentDevices
	state := unsafe.Sizeof(devState{}) + unsafe.Sizeof(callState{})
	t.Logf("%.0f B of resident memory per device (docs: %d; state %d B)", per, docResidentBytesPerDevice, state)
	if per > 2*docResidentBytesPerDevice || per < docResidentBytesPerDevice/2 {
		t.Errorf("%.0f B of resident memory per device; the docs say about %d (more than 2x off)", per, docResidentBytesPerDevice)
	}
}

// residentChild is the measured child: it allocates and frees 512 MB
// (never written) with the collector off, so that the runtime has not
// given the block back to the system when the monitor starts and must
// zero what it reuses of it; then it resets its peak resident set, runs
// the monitor with the collector on and prints how much the peak grew.
func residentChild() {
	old := debug.SetGCPercent(-1)
	func() {
		block := make([]byte, 512<<20)
		runtime.KeepAlive(block)
	}()
	runtime.GC()
	base := statusKB("VmRSS")
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil { // VmHWM := VmRSS
		fmt.Println("skip: cannot reset the peak resident set:", err)
		os.Exit(0)
	}
	debug.SetGCPercent(old)
	m := NewMonitor(DefaultConfig())
	for k := range 10 {
		for d := range int32(residentDevices) {
			r := manyDevicesRecord(d, k)
			m.Observe(&r)
		}
	}
	if vs := m.Finish(); vs != nil {
		fmt.Println("violation:", vs[0])
		os.Exit(1)
	}
	fmt.Printf("resident growth: %d\n", (statusKB("VmHWM")-base)<<10)
	runtime.KeepAlive(m)
	os.Exit(0)
}

// statusKB returns field (in kB) of /proc/self/status, exiting on error.
func statusKB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
				n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				if err == nil {
					return n
				}
			}
		}
	}
	fmt.Println("/proc/self/status:", field, err)
	os.Exit(1)
	return 0
}
