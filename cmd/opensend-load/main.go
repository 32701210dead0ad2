// Command opensend-load measures OpenSEND's page latency under load. It
// seeds a large school into a fresh database, starts the real server binary
// on 127.0.0.1 only, signs in, and drives each route with 1 and then N
// concurrent users (closed loop: each user sends its next request when the
// last one returns) for a bounded time, printing p50/p99 per route, the
// server process's CPU time per request (from its rusage in /proc, so the
// load generator's own work is not counted) and its peak memory (RSS).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"opensend/internal/demo"
	"opensend/internal/sen"
	"opensend/internal/store"
)

func main() {
	pupils := flag.Int("pupils", 2000, "pupils on roll in the seeded school")
	senShare := flag.Float64("sen", 0.26, "share of pupils on SEN support or EHC plan (0.26 of 2,000 = 400 on SEN support and 120 EHC plans)")
	dur := flag.Duration("duration", 5*time.Second, "time per route and concurrency level")
	levels := flag.String("users", "1,50", "concurrency levels")
	flag.BoolVar(&saturate, "saturation", true, "also run each level with no think time (false: think-time runs only, for levels above 1)")
	think := flag.Duration("think", time.Second, "a user's pause between requests in the think-time run (0 = skip that run)")
	routes := flag.String("routes", "", "comma-separated paths ({pupil} = an SEN pupil's id); default: every benchmarked page that exists")
	bin := flag.String("bin", "bin/opensend", "server binary")
	dsn := flag.String("db", "", "database (default: a fresh SQLite file); a SQLite file or postgres:// database that already holds a school is reused as it is (not seeded again)")
	flag.StringVar(&profileDir, "profile", "", "directory: write a CPU profile of the server (pprof) per route, taken during its run at the highest user level")
	flag.Parse()
	if err := run(*pupils, *senShare, *dur, *levels, *routes, *bin, *dsn, *think); err != nil {
		fmt.Fprintln(os.Stderr, "opensend-load:", err)
		os.Exit(1)
	}
}

// defaultRoutes are the pages the issues ask to be measured; paths that
// answer 404 in this build are reported and skipped.
var defaultRoutes = []string{"/senco", "/plans/{plan}", "/calendar", "/", "/ehc", "/register", "/pupils/{pupil}"}

func run(pupils int, senShare float64, dur time.Duration, levelsFlag, routesFlag, bin, dsn string, think time.Duration) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "opensend-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if dsn == "" {
		dsn = filepath.Join(dir, "load.db")
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	email, senPupil, err := seed(ctx, st, pupils, senShare)
	st.Close()
	if err != nil {
		return err
	}

	port, err := freePort()
	if err != nil {
		return err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	args := []string{"-db", dsn, "-addr", "127.0.0.1:" + strconv.Itoa(port), "-base-url", base}
	pprofBase := ""
	if profileDir != "" {
		pp, err := freePort()
		if err != nil {
			return err
		}
		pprofBase = "http://127.0.0.1:" + strconv.Itoa(pp)
		args = append(args, "-pprof", "127.0.0.1:"+strconv.Itoa(pp))
		if err := os.MkdirAll(profileDir, 0o755); err != nil {
			return err
		}
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	if err := waitReady(base + "/healthz"); err != nil {
		return err
	}
	server := proc{pid: cmd.Process.Pid}
	client, err := login(base, email)
	if err != nil {
		return err
	}
	var paths []string
	if routesFlag != "" {
		paths = strings.Split(routesFlag, ",")
	} else {
		paths = defaultRoutes
	}
	var levels []int
	for _, l := range strings.Split(levelsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil || n < 1 {
			return fmt.Errorf("bad -users %q", levelsFlag)
		}
		levels = append(levels, n)
	}
	fmt.Printf("\nMachine: %d CPU, %s/%s, %s; server: %s; %s per measurement\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), engineOf(dsn), dur)
	fmt.Println("| route | users | think time | requests | req/s | p50 ms | p99 ms | server CPU ms/req | errors |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, p := range paths {
		path := strings.ReplaceAll(p, "{pupil}", strconv.FormatInt(senPupil, 10))
		if strings.Contains(path, "{plan}") {
			// The pupil's current support plan: where /pupils/{id}/plan redirects.
			loc := location(client, base+"/pupils/"+strconv.FormatInt(senPupil, 10)+"/plan")
			path = strings.ReplaceAll(path, "{plan}", strings.TrimPrefix(loc, "/plans/"))
		}
		if code := status(client, base+path); code != http.StatusOK {
			fmt.Printf("| %s | – | – | skipped: answers %d in this build | | | | | |\n", p, code)
			continue
		}
		for i, n := range levels {
			if saturate || n == 1 {
				var prof func() error
				if pprofBase != "" && i == len(levels)-1 {
					prof = profile(pprofBase, dur, filepath.Join(profileDir, profileName(p)))
				}
				cpu0 := server.cpu()
				m := measure(client, base+path, n, dur, 0)
				cpu := server.cpu() - cpu0
				if prof != nil {
					if err := prof(); err != nil {
						fmt.Fprintln(os.Stderr, "opensend-load: profile:", err)
					}
				}
				fmt.Printf("| %s | %d | none (saturation) | %d | %.0f | %.2f | %.2f | %s | %d |\n", p, n, m.n, float64(m.n)/dur.Seconds(), ms(m.p50), ms(m.p99), perRequest(cpu, m.n), m.errors)
			}
			if n > 1 && think > 0 {
				// Let the server and database settle after the saturation run
				// (checkpoints, autovacuum of the audit rows it wrote), so the
				// think-time figures measure this load and not the last one.
				time.Sleep(settle)
				cpu0 := server.cpu()
				m := measure(client, base+path, n, max(dur, 3*think), think)
				cpu := server.cpu() - cpu0
				fmt.Printf("| %s | %d | %s | %d | %.0f | %.2f | %.2f | %s | %d |\n", p, n, think, m.n, float64(m.n)/max(dur, 3*think).Seconds(), ms(m.p50), ms(m.p99), perRequest(cpu, m.n), m.errors)
			}
		}
	}
	if kb := server.peakRSS(); kb > 0 {
		fmt.Printf("\nServer peak memory (VmHWM, resident): %.0f MiB\n", float64(kb)/1024)
	}
	return nil
}

// profileDir, when set, receives one CPU profile per route (-profile).
var profileDir string

// seed fills an empty database with the bench school, or reuses a database
// that already holds one (so repeated runs need not seed again); it returns
// the SENCO's email and an SEN-support pupil's id.
func seed(ctx context.Context, st *store.Store, pupils int, senShare float64) (string, int64, error) {
	empty, err := st.Empty(ctx)
	if err != nil {
		return "", 0, err
	}
	if !empty {
		logins, err := st.DemoLogins(ctx)
		if err != nil {
			return "", 0, err
		}
		for _, u := range logins {
			if u.Role == sen.RoleSENCO {
				a := sen.Actor{User: u}
				list, total, err := st.ListPupils(ctx, a, store.PupilFilter{Status: sen.StatusSupport, Limit: 1})
				if err != nil || len(list) == 0 {
					return "", 0, fmt.Errorf("reused database: no pupil on SEN support (%v)", err)
				}
				fmt.Printf("Reusing the database's school (%d pupils on SEN support)\n", total)
				return u.Email, list[0].ID, nil
			}
		}
		return "", 0, fmt.Errorf("reused database: no SENCO account")
	}
	t0 := time.Now()
	res, err := demo.Seed(ctx, st, demo.Options{Pupils: pupils, SENShare: senShare, EHCPShare: 0.23, Secondary: true, Seed: 7, Name: "Load Test Academy", History: true})
	if err != nil {
		return "", 0, fmt.Errorf("seed: %w", err)
	}
	var senPupil int64
	nSEN := 0
	for _, p := range res.Pupils {
		if p.Status == sen.StatusSupport {
			nSEN++
			if senPupil == 0 {
				senPupil = p.ID
			}
		}
	}
	fmt.Printf("Seeded %d pupils (%d on SEN support) in %s\n", len(res.Pupils), nSEN, time.Since(t0).Round(time.Second))
	return res.Logins[0].Email, senPupil, nil
}

// perRequest formats the server's CPU time per request.
func perRequest(cpu time.Duration, n int) string {
	if cpu < 0 || n == 0 {
		return "–"
	}
	return strconv.FormatFloat(float64(cpu.Microseconds())/1000/float64(n), 'f', 2, 64)
}

// proc reads a process's CPU time and peak memory from Linux's /proc.
type proc struct{ pid int }

// clockTicks is USER_HZ, the unit of utime and stime in /proc/pid/stat
// (100 on every Linux architecture Go supports).
const clockTicks = 100

// cpu is the process's user plus system CPU time so far (-1 if unknown:
// not on Linux).
func (p proc) cpu() time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.pid) + "/stat")
	if err != nil {
		return -1
	}
	// The command name (field 2) is in parentheses and may hold spaces;
	// utime and stime are fields 14 and 15, the 12th and 13th after it.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return -1
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(ut+st) * time.Second / clockTicks
}

// peakRSS is the process's peak resident memory in KiB (VmHWM), 0 if unknown.
func (p proc) peakRSS() int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

// profile starts fetching a CPU profile of the server for d into file; the
// returned func waits for it.
func profile(base string, d time.Duration, file string) func() error {
	done := make(chan error, 1)
	go func() {
		secs := max(1, int(d.Seconds()))
		resp, err := http.Get(base + "/debug/pprof/profile?seconds=" + strconv.Itoa(secs))
		if err != nil {
			done <- err
			return
		}
		defer resp.Body.Close()
		f, err := os.Create(file)
		if err != nil {
			done <- err
			return
		}
		_, err = io.Copy(f, resp.Body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	return func() error { return <-done }
}

// profileName is a file name for a route's profile ("/pupils/{pupil}" -> "pupils_pupil.pprof").
func profileName(route string) string {
	words := strings.FieldsFunc(route, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	if len(words) == 0 {
		return "home.pprof"
	}
	return strings.Join(words, "_") + ".pprof"
}

// saturate runs each level closed-loop with no think time as well.
var saturate = true

// settle is the pause between a saturation run and the think-time run.
const settle = 2 * time.Second

func engineOf(dsn string) string {
	if strings.Contains(dsn, "://") {
		return "PostgreSQL"
	}
	return "SQLite"
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type result struct {
	n, errors int
	p50, p99  time.Duration
}

// measure runs users closed-loop workers against url for dur; each user
// waits think between its requests (0: back to back, which saturates).
func measure(c *http.Client, url string, users int, dur time.Duration, think time.Duration) result {
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for range users {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			if think > 0 {
				// Spread the users' first requests over one think time.
				time.Sleep(time.Duration(rand.Int64N(int64(think))))
			}
			for time.Now().Before(deadline) {
				t := time.Now()
				resp, err := c.Get(url)
				if err != nil {
					bad++
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					bad++
					continue
				}
				mine = append(mine, time.Since(t))
				if think > 0 {
					time.Sleep(think)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(lat)
	r := result{n: len(lat), errors: errs}
	if len(lat) > 0 {
		r.p50 = lat[len(lat)*50/100]
		r.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return r
}

func status(c *http.Client, url string) int {
	resp, err := c.Get(url)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func location(c *http.Client, url string) string {
	resp, err := c.Get(url)
	if err != nil {
		return ""
	}
	resp.Body.Close()
	return resp.Header.Get("Location")
}

func waitReady(url string) error {
	for i := 0; i < 300; i++ {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("server did not start")
}

// login signs in once; all simulated users share the session (the sign-in
// rate limit would otherwise throttle 50 sign-ins from one address).
func login(base, email string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}
	c := &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {demo.Password}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login: status %d", resp.StatusCode)
	}
	return c, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
