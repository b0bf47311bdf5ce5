package docgen

import (
	"bytes"
	"fmt"
	"strings"
)

// Table renders a markdown table. A cell's '|' is escaped and its line
// breaks become spaces, so that no cell can break its row.
func Table(header []string, rows [][]string) string {
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			c = strings.ReplaceAll(strings.ReplaceAll(c, "\n", " "), "|", `\|`)
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	line(header)
	b.WriteString(strings.Repeat("|---", len(header)) + "|\n")
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

func markers(name string) (begin, end string) {
	return "<!-- generated: " + name + " -->\n", "<!-- end generated: " + name + " -->\n"
}

// bounds returns where the section's content starts and ends in doc.
func bounds(doc []byte, name string) (int, int, error) {
	begin, end := markers(name)
	i := bytes.Index(doc, []byte(begin))
	if i < 0 {
		return 0, 0, fmt.Errorf("no line %q", strings.TrimSpace(begin))
	}
	start := i + len(begin)
	j := bytes.Index(doc[start:], []byte(end))
	if j < 0 {
		return 0, 0, fmt.Errorf("no line %q after %q", strings.TrimSpace(end), strings.TrimSpace(begin))
	}
	if bytes.Contains(doc[start+j+len(end):], []byte(begin)) {
		return 0, 0, fmt.Errorf("section %s appears twice", name)
	}
	return start, start + j, nil
}

// Section returns the content of the named section of doc.
func Section(doc []byte, name string) (string, error) {
	start, stop, err := bounds(doc, name)
	if err != nil {
		return "", err
	}
	return string(doc[start:stop]), nil
}

// Replace returns doc with the named section's content replaced.
func Replace(doc []byte, name, content string) ([]byte, error) {
	start, stop, err := bounds(doc, name)
	if err != nil {
		return nil, err
	}
	out := append([]byte{}, doc[:start]...)
	out = append(out, content...)
	return append(out, doc[stop:]...), nil
}
