// Package greet builds greetings; the sample's leaf library.
package greet

import "strings"

// Hello returns a greeting for name, or for "world" when name is blank.
func Hello(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "world"
	}
	return "hello, " + name
}
