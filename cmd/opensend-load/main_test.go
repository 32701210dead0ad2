package main

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// The server's CPU time and peak memory are read from /proc; a busy loop in
// this process shows up in its own CPU time.
func TestProcReadsCPUAndMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	me := proc{pid: os.Getpid()}
	before := me.cpu()
	if before < 0 {
		t.Fatal("no CPU time read")
	}
	// Busy for 200 ms of CPU by the kernel's other account (getrusage),
	// however busy the machine is.
	start := rusageCPU(t)
	x := 0
	for rusageCPU(t)-start < 200*time.Millisecond {
		x++
	}
	if got := me.cpu() - before; got < 150*time.Millisecond {
		t.Errorf("200 ms of CPU counted as %v (%d)", got, x)
	}
	if kb := me.peakRSS(); kb <= 0 {
		t.Errorf("peak RSS %d KiB", kb)
	}
	if (proc{pid: -1}).cpu() != -1 {
		t.Error("a missing process has CPU time")
	}
}

func rusageCPU(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestPerRequestAndProfileName(t *testing.T) {
	for _, tc := range []struct {
		cpu  time.Duration
		n    int
		want string
	}{{30 * time.Millisecond, 20, "1.50"}, {0, 0, "–"}, {-1, 5, "–"}} {
		if got := perRequest(tc.cpu, tc.n); got != tc.want {
			t.Errorf("perRequest(%v, %d) = %q, want %q", tc.cpu, tc.n, got, tc.want)
		}
	}
	for route, want := range map[string]string{"/": "home.pprof", "/register": "register.pprof", "/pupils/{pupil}": "pupils_pupil.pprof"} {
		if got := profileName(route); got != want {
			t.Errorf("profileName(%q) = %q, want %q", route, got, want)
		}
	}
}
