package cloudtrail

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestZZTime(t *testing.T) {
	dir := os.ExpandEnv("$HOME/.cache/go-build/fuzz/github.com/iamguard/iamguard/shared/cloudtrail/FuzzReader")
	ps, _ := filepath.Glob(dir + "/*")
	for _, p := range ps {
		b, _ := os.ReadFile(p)
		lines := strings.SplitN(string(b), "\n", 2)
		lit := strings.TrimSpace(lines[1])
		lit = strings.TrimSuffix(strings.TrimPrefix(lit, "[]byte("), ")")
		s, err := strconv.Unquote(lit)
		if err != nil {
			t.Fatal(err)
		}
		data := []byte(s)
		start := time.Now()
		for range 100 {
			compareNextRaw(t, data)
			transcript(t, NewReader(strings.NewReader(s), "in"), len(data))
		}
		t.Logf("%v %d %s", time.Since(start)/100, len(data), filepath.Base(p))
	}
}
