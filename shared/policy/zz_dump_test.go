package policy

import (
	"fmt"
	"os"
	"sort"
	"testing"
)

func TestZZDump(t *testing.T) {
	out := os.Getenv("ZZDUMP")
	if out == "" {
		t.Skip()
	}
	m := loadManaged(t)
	var lines []string
	for arn, p := range m.Policies {
		d, err := Parse(string(p.Document))
		if err != nil {
			continue
		}
		v := Analyze(d)
		lines = append(lines, fmt.Sprintf("%s\t%s\t%v", arn, v.Severity, summary(v)))
	}
	sort.Strings(lines)
	f, _ := os.Create(out)
	defer f.Close()
	for _, l := range lines {
		fmt.Fprintln(f, l)
	}
}
