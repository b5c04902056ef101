// Command svc is the Go half of the monorepo sample: a small HTTP service the .NET project talks to.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	defaultAddr := os.Getenv("SVC_ADDR")
	if defaultAddr == "" {
		defaultAddr = "127.0.0.1:8090"
	}
	addr := flag.String("addr", defaultAddr, "listen address (env SVC_ADDR)")
	flag.Parse()

	http.HandleFunc("/hello", handleHello)
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	// Listen first so the logged address is the real one (port 0 picks a free port).
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("svc listening on %s", ln.Addr())
	log.Fatal(http.Serve(ln, nil))
}

func handleHello(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "world"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"message": greeting(name)})
}

func greeting(name string) string {
	return "hello, " + name + " from Go"
}
