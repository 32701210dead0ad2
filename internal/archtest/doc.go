// Package archtest holds tests of OpenSEND's shape rather than its
// behaviour: layering_test.go reads the module's import graph with
// `go list -deps -json` and fails when a package imports across a layer in
// the wrong direction (issue 10: the layers and the direction of imports).
// Every package under internal/ and cmd/ is classified in that test's table;
// a new package must be added to it. The package has no non-test code.
package archtest
