   module    example.com/spacing    // comment after module

go    1.23.0
require	example.com/tab	v1.0.0	//	indirect
replace   example.com/tab   =>   example.com/tab2   v1.0.1
replace example.com/x v1.0.0 => example.com/y v1.0.0
