// Package docgen keeps the generated sections of a markdown file, such as
// the README's tables, in step with the tables in code they are rendered
// from. A section sits between the lines
//
//	<!-- generated: NAME -->
//	<!-- end generated: NAME -->
//
// and tests compare it with what the code renders; `make docs` rewrites it.
// It never touches text outside the markers.
package docgen
