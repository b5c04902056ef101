module example.com/repl

go 1.19

replace example.com/a v1.0.0 => ../a1 // replaced by the later line below
replace example.com/a => ../a-all
replace example.com/b v1.2.0 => example.com/b-fork v1.2.1

replace (
	example.com/a v1.0.0 => ../a2 // last of example.com/a@v1.0.0: kept here
	example.com/b v1.2 => ../b-local
	example.com/a => ../a-all-again
)
