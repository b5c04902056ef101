// Command healthcheck probes svc's /healthz and exits non-zero when it is not healthy
// (a second main package, so builds show that only the changed target is rebuilt).
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8090/healthz", "health endpoint")
	flag.Parse()
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(*url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		fmt.Fprintln(os.Stderr, "unhealthy:", resp.Status)
		os.Exit(1)
	}
	fmt.Println("ok")
}
