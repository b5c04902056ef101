module example.com/sample/module-b

go 1.19

require example.com/sample/module-a v0.0.0
