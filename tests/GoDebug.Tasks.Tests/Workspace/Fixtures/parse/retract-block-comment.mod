module example.com/rbc

go 1.21

// The whole block shares this rationale.
retract (
	v1.0.0
	[v1.1.0, v1.2.0]
	v1.3.0 // own rationale
)
