package stats

import "testing"

func TestReport(t *testing.T) {
	if got := Report("ci", []int{1, 2, 3}); got != "hello, ci: sum of 3 values is 6" {
		t.Fatalf("Report = %q", got)
	}
}
