// Deprecated: the whole thing moved.
module (
	example.com/blockmod
)

go 1.22
