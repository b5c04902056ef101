module example.com/empty

go 1.19

require "" v1.0.0

require (
	example.com/kept v1.2.0
	"" v1.1.0
)

exclude "" v1.0.0

replace "" => ../nowhere

replace example.com/kept => ../kept

retract ""
