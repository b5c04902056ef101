// Package header comment.
// Deprecated: use example.com/new instead.
module example.com/all

go 1.21.3

toolchain go1.22.4

godebug panicnil=1

godebug (
	// a block of settings
	asynctimerchan=1
	http2client=0 // trailing
)

require example.com/single v1.2.3

require (
	example.com/a v1.0.0
	example.com/b v1.1.0 // indirect
	example.com/c v0.3.0 // indirect; kept for the plugin
	example.com/d v0.4.0 // not indirect
	example.com/e v0.5.0 //indirect
	example.com/f/v2 v2.0.1
	example.com/g v2.0.0+incompatible
	example.com/h v1.2
	example.com/i v1
	example.com/j v1.0.0-rc.1+build.5
	"example.com/quoted" "v1.4.0"
	example.com/pseudo v0.0.0-20240101000000-abcdefabcdef
)

exclude example.com/a v0.9.0

exclude (
	example.com/b v1.0.0
	example.com/b v1.0.1
)

replace example.com/a => ../a

replace example.com/b v1.1.0 => example.com/b-fork v1.1.1

replace (
	example.com/c => ./vendor-c
	example.com/d v0.4.0 => /abs/d
	"example.com/e" => "../with space"
)

retract v0.1.0 // published by accident

retract [v0.2.0, v0.2.9] // broken range

retract (
	// Security problem.
	v0.3.0

	[v0.4.0, v0.4.5]
	v0.5.0 // suffix wins
)
