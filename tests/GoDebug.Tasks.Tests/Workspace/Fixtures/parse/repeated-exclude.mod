module example.com/excl

go 1.19

exclude example.com/a v1.0.0 // first: kept
exclude example.com/b v1.0.0

exclude (
	example.com/a v1.0.0 // repeated: dropped
	example.com/c v0.1.0
	example.com/a v1.0 // the same version once canonical: dropped
	example.com/b v1.0.1
)
