// Package stats summarises numbers and labels the result with module-a's greeting,
// so the sample has a library that depends on another workspace module.
package stats

import (
	"fmt"

	greet "example.com/sample/module-a"
)

// Sum adds the values.
func Sum(values []int) int {
	total := 0
	for _, v := range values {
		total += v
	}
	return total
}

// Report describes the sum of values for name.
func Report(name string, values []int) string {
	return fmt.Sprintf("%s: sum of %d values is %d", greet.Hello(name), len(values), Sum(values))
}
