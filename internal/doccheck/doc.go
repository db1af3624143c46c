// Package doccheck holds no code, only tests of the repository's
// Markdown: every relative link and #anchor of README.md and docs/ must
// resolve (TestLinks), so moving a section cannot leave a dead link; the
// package graph of docs/architecture.md must be the module's
// (TestPackageGraph); and that graph must keep the layering rules of
// deps_test.go (TestImports).
package doccheck
