// Command app is the sample HTTP service: handlers that call both workspace libraries, and
// net/http/pprof so profiles can be captured from it while it runs.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	greet "example.com/sample/module-a"
	stats "example.com/sample/module-b"
)

// leaked holds goroutines started by /leak so a profile can show them; nothing ever releases them.
var (
	leakMu sync.Mutex
	leaked []chan struct{}
)

func main() {
	defaultAddr := os.Getenv("APP_ADDR")
	if defaultAddr == "" {
		defaultAddr = "127.0.0.1:8080"
	}
	addr := flag.String("addr", defaultAddr, "listen address (env APP_ADDR)")
	flag.Parse()

	http.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]string{"message": greet.Hello(r.URL.Query().Get("name"))})
	})
	http.HandleFunc("/sum", handleSum)
	http.HandleFunc("/leak", handleLeak)
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("ok\n"))
	})

	log.Printf("app listening on http://%s (pprof at /debug/pprof/)", *addr)
	server := &http.Server{Addr: *addr, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(server.ListenAndServe())
}

// handleSum answers /sum?values=1,2,3 with module-b's report.
func handleSum(w http.ResponseWriter, r *http.Request) {
	var values []int
	for _, field := range strings.Split(r.URL.Query().Get("values"), ",") {
		if field == "" {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil {
			http.Error(w, "values must be integers: "+field, http.StatusBadRequest)
			return
		}
		values = append(values, v)
	}
	writeJSON(w, map[string]interface{}{
		"sum":    stats.Sum(values),
		"report": stats.Report(r.URL.Query().Get("name"), values),
	})
}

// Bounds of /leak: a request, or a loop of them, must not be able to exhaust the machine.
const (
	maxLeakPerRequest = 1000
	maxLeakTotal      = 100000
)

// handleLeak starts n goroutines that block forever: a deliberate leak for the profiling gate.
func handleLeak(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n <= 0 {
		n = 1
	}
	if n > maxLeakPerRequest {
		http.Error(w, "n must be at most "+strconv.Itoa(maxLeakPerRequest), http.StatusBadRequest)
		return
	}
	leakMu.Lock()
	defer leakMu.Unlock()
	if len(leaked)+n > maxLeakTotal {
		http.Error(w, "leak limit of "+strconv.Itoa(maxLeakTotal)+" goroutines reached", http.StatusServiceUnavailable)
		return
	}
	for i := 0; i < n; i++ {
		ch := make(chan struct{})
		leaked = append(leaked, ch)
		go func() { <-ch }()
	}
	writeJSON(w, map[string]int{"leaked": len(leaked)})
}

func writeJSON(w http.ResponseWriter, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}
