module example.com/crlf

go 1.21

require (
	example.com/x v1.0.0 // indirect
	example.com/y v1.1.0
)

retract v0.1.0 // oops
