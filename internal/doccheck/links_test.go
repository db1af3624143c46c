package doccheck

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// root is the repository root, relative to this package.
const root = "../.."

// linkRE matches an inline Markdown link or image: [text](target) or
// ![alt](target), with an optional "title" after the target.
var linkRE = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)

// markdownFiles are README.md and every .md file under docs/, relative to
// root.
func markdownFiles(t *testing.T) []string {
	files := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// outsideCode returns text's lines with fenced code blocks and inline
// code spans blanked, so a link-like string in code is not a link.
func outsideCode(text string) []string {
	lines := strings.Split(text, "\n")
	fenced := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fenced = !fenced
			lines[i] = ""
			continue
		}
		if fenced {
			lines[i] = ""
			continue
		}
		lines[i] = blankCodeSpans(l)
	}
	return lines
}

// blankCodeSpans removes the `code` spans of one line; a link's text may
// be code ([`x`](y)), which stays a link because only its text is blanked.
func blankCodeSpans(l string) string {
	var b strings.Builder
	in := false
	for _, r := range l {
		if r == '`' {
			in = !in
			continue
		}
		if !in {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// slug is GitHub's anchor of a heading: lower case, punctuation other
// than '-' and '_' dropped, spaces turned into '-'.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// anchors returns the anchors of a Markdown file's headings, with
// GitHub's -1, -2, ... suffixes for repeated ones.
func anchors(text string) map[string]bool {
	seen := map[string]int{}
	out := map[string]bool{}
	fenced := false
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fenced = !fenced
			continue
		}
		if fenced || !strings.HasPrefix(l, "#") {
			continue
		}
		h := strings.TrimLeft(l, "#")
		if !strings.HasPrefix(h, " ") {
			continue
		}
		s := slug(strings.TrimSpace(h))
		if n := seen[s]; n > 0 {
			out[s+"-"+strconv.Itoa(n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}

// TestLinks: every relative link of README.md and docs/**/*.md names a
// file or directory of the repository, and every #anchor a heading of
// its file. Links that leave the repository (the shared spec beside the
// checkout) cannot be checked from a clone and are skipped.
func TestLinks(t *testing.T) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	cache := map[string]map[string]bool{}
	anchorsOf := func(path string) (map[string]bool, error) {
		if a, ok := cache[path]; ok {
			return a, nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		cache[path] = anchors(string(b))
		return cache[path], nil
	}
	checked := 0
	for _, file := range markdownFiles(t) {
		b, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range outsideCode(string(b)) {
			for _, m := range linkRE.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				path, anchor, _ := strings.Cut(target, "#")
				full := filepath.Join(root, file)
				if path != "" {
					full = filepath.Join(root, filepath.Dir(file), filepath.FromSlash(path))
				}
				abs, err := filepath.Abs(full)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(abs, absRoot+string(filepath.Separator)) {
					continue
				}
				checked++
				where := file + ":" + strconv.Itoa(n+1)
				if _, err := os.Stat(full); err != nil {
					t.Errorf("%s: link %q: no such file or directory", where, target)
					continue
				}
				if anchor == "" {
					continue
				}
				if !strings.HasSuffix(full, ".md") {
					t.Errorf("%s: link %q: an anchor into a file that is not Markdown", where, target)
					continue
				}
				a, err := anchorsOf(full)
				if err != nil {
					t.Fatal(err)
				}
				if !a[anchor] {
					t.Errorf("%s: link %q: no heading of %s has the anchor #%s", where, target, path, anchor)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no link checked: the file list or the link pattern is wrong")
	}
}

// TestSlug pins the anchor rule on headings of these docs.
func TestSlug(t *testing.T) {
	for h, want := range map[string]string{
		"Exhaustive exploration (`sim explore`)":                  "exhaustive-exploration-sim-explore",
		"Limits: work budget and exit codes":                      "limits-work-budget-and-exit-codes",
		"Reconnection policies (`--policy`, `--policy-jitter`)":   "reconnection-policies---policy---policy-jitter",
		"4. What if we retried with another reconnection policy?": "4-what-if-we-retried-with-another-reconnection-policy",
		"Property-based tests (rapid) and the bug zoo":            "property-based-tests-rapid-and-the-bug-zoo",
	} {
		if got := slug(h); got != want {
			t.Errorf("slug(%q) = %q, want %q", h, got, want)
		}
	}
}
