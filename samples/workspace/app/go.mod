module example.com/sample/app

go 1.19

require (
	example.com/sample/module-a v0.0.0
	example.com/sample/module-b v0.0.0
)
