package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/plots"
	"github.com/spf13/cobra"
)

func newFSMCmd(stdout, stderr io.Writer) *cobra.Command {
	var format, out string
	profile := "android"
	cmd := &cobra.Command{
		Use:   "fsm [flags]",
		Short: "Write the connection status machine as DOT, Mermaid, SVG or PNG",
		Long: `fsm writes the published status machine (fsm.Edges: every status change the
SDK may make, the table property P7 checks) as a diagram. Every status carries
its name and the value status listeners receive.

  dot      Graphviz DOT, from looplab/fsm's visualizer (edges sorted, so the
           output is deterministic); to stdout, or to --out
  mermaid  a Mermaid stateDiagram-v2, likewise
  svg,png  a drawing made without Graphviz, on a fixed layout: the statuses of
           the connection mechanism in one box, the stopped ones in another;
           written to --out (default fsm.svg or fsm.png)

--profile ios|web draws that SDK's machine with its published names and
values (docs/profiles.md): ios adds the background disconnect, web has its
own four statuses (several stops publish as DISCONNECTED, told apart by the
code). svg and png are drawn for android only; use dot or mermaid for the
others.

Files are written atomically.

Examples:
  sim fsm --format dot | dot -Tsvg > fsm-graphviz.svg
  sim fsm --format mermaid --out docs/fsm.mmd
  sim fsm --format png --out docs/figures/fsm.png
  sim fsm --profile web --format mermaid`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			prof, err := fsm.ParseProfile(profile)
			if err != nil {
				return usageError{err}
			}
			if prof != fsm.ProfileAndroid {
				return writeProfileFSM(stdout, prof, format, out)
			}
			return writeFSM(stdout, stderr, format, out)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&format, "format", "dot", "dot, mermaid, svg or png")
	fs.StringVar(&out, "out", "", "file to write (default: stdout for dot and mermaid, fsm.svg or fsm.png for svg and png)")
	fs.StringVar(&profile, "profile", profile, "the platform SDK whose machine to draw: android, ios or web")
	return cmd
}

func writeFSM(stdout, stderr io.Writer, format, out string) error {
	switch format {
	case "dot", "mermaid":
		text := plots.DOT(fsm.Edges)
		if format == "mermaid" {
			var err error
			if text, err = plots.Mermaid(fsm.Edges); err != nil {
				return err
			}
		}
		if out == "" {
			_, err := io.WriteString(stdout, text)
			return err
		}
		if err := checkOut("--out", out); err != nil {
			return err
		}
		var b outfile.Batch
		b.AddBytes("--out "+out, out, []byte(text))
		return commitOutputs(&b)
	case "svg", "png":
		if out == "" {
			out = "fsm." + format
		}
		if got := strings.ToLower(filepath.Ext(out)); got != "."+format {
			return usageError{fmt.Errorf("--out %s: want a name ending in .%s for --format %s", out, format, format)}
		}
		if err := checkOut("--out", out); err != nil {
			return err
		}
		events, edges := len(fsm.Edges), 0
		for _, e := range fsm.Edges {
			edges += len(e.From)
		}
		d, err := plots.StateDiagram(fsm.Edges, fmt.Sprintf(
			"Each box is a status with the value listeners receive (spec section 3). %d events, %d edges (fsm.Edges). "+
				"The same machine as text: sim fsm --format dot, or --format mermaid.", events, edges))
		if err != nil {
			return err
		}
		var b outfile.Batch
		if err := addFigure(&b, "--out "+out, out, d); err != nil {
			return err
		}
		if err := commitOutputs(&b); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "sim: wrote %s\n", out)
		return nil
	}
	return usageError{fmt.Errorf("--format must be dot, mermaid, svg or png (got %q)", format)}
}

// writeProfileFSM writes a non-default profile's machine, as its listener
// sees it (fsm.Profile.PublishedEdges), in DOT or Mermaid; the published
// values no modelled event produces follow as a comment.
func writeProfileFSM(stdout io.Writer, prof *fsm.Profile, format, out string) error {
	m := prof.PublishedEdges()
	var text, comment string
	switch format {
	case "dot":
		text, comment = plots.DOTProfile(m, prof), "// "
	case "mermaid":
		var err error
		if text, err = plots.MermaidProfile(m, prof); err != nil {
			return err
		}
		comment = "%% "
	case "svg", "png":
		return usageError{fmt.Errorf("--format %s is drawn for --profile android only; use --format dot or mermaid for --profile %s", format, prof.Name)}
	default:
		return usageError{fmt.Errorf("--format must be dot, mermaid, svg or png (got %q)", format)}
	}
	var b strings.Builder
	b.WriteString(text)
	fmt.Fprintf(&b, "%sprofile %s: see docs/profiles.md\n", comment, prof.Name)
	if len(prof.Unused) > 0 {
		fmt.Fprintf(&b, "%salso published, entered by no modelled event:", comment)
		for _, u := range prof.Unused {
			fmt.Fprintf(&b, " %s %d", u.Name, u.Value)
		}
		b.WriteString("\n")
	}
	if out == "" {
		_, err := io.WriteString(stdout, b.String())
		return err
	}
	if err := checkOut("--out", out); err != nil {
		return err
	}
	var files outfile.Batch
	files.AddBytes("--out "+out, out, []byte(b.String()))
	return commitOutputs(&files)
}
