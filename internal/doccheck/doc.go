// Package doccheck holds no code, only tests of the repository's
// Markdown: every relative link and #anchor of README.md and docs/ must
// resolve (TestLinks), so moving a section cannot leave a dead link.
package doccheck
