module example.com/tools

go 1.24

tool golang.org/x/tools/cmd/stringer

tool (
	example.com/tools/cmd/gen
	"example.com/quoted/cmd"
)
