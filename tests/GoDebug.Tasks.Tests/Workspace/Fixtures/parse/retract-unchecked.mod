module example.com/retracted

go 1.19

// go mod edit keeps retracted versions as written: only the go command's loader resolves them.
retract 1.0.0
retract latest
retract "v1.2"

retract (
	[1.3.0, latest] // a range of unchecked versions
	v1.4.0
)
