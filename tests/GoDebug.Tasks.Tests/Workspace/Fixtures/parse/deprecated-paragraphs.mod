// This module does things.
//
// Deprecated: use example.com/v3 instead;
// it is faster.
//
// Deprecated: second paragraph is ignored.
module example.com/dep

go 1.20
