package awspolicies

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/iamguard/iamguard/internal/awsarn"
)

//go:embed aws-managed-policies.json.gz
var snapshot []byte

// Policy is one AWS managed policy as the snapshot holds it.
type Policy struct {
	ARN       string          // canonical ARN in the aws partition
	VersionID string          // default version at snapshot time, such as "v3"
	Document  json.RawMessage // the policy document as JSON
	// Text is Document as a string, made once when the policy is first
	// looked up: a check of an export attaches the same policies again and
	// again, and ReadOnlyAccess alone is 85 KB.
	Text string
}

type entry struct {
	VersionID string          `json:"versionId"`
	Document  json.RawMessage `json:"document"`
}

type catalogue struct {
	Source   string           `json:"source"`
	Policies map[string]entry `json:"policies"`
}

// The snapshot is decompressed and indexed on first use, not at start, and a
// lookup decodes only the one entry it needs: a Lambda cold start that never meets an
// AWS managed policy pays nothing, and the first one that does pays for
// gunzip (a few milliseconds), not for decoding 2.8 MB of JSON.
var (
	once    sync.Once
	raw     []byte
	offsets map[string]int
	loadErr error

	fullOnce sync.Once
	full     catalogue
	fullErr  error

	cache sync.Map // canonical ARN -> Policy, or nil for not found
)

func load() ([]byte, error) {
	once.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(snapshot))
		if err != nil {
			loadErr = fmt.Errorf("awspolicies: open embedded snapshot: %w", err)
			return
		}
		raw, err = io.ReadAll(zr)
		if err != nil {
			loadErr = fmt.Errorf("awspolicies: read embedded snapshot: %w", err)
			return
		}
		offsets = index(raw)
	})
	return raw, loadErr
}

// loadAll decodes the whole snapshot, for Len and Source.
func loadAll() (*catalogue, error) {
	fullOnce.Do(func() {
		data, err := load()
		if err != nil {
			fullErr = err
			return
		}
		if err := json.Unmarshal(data, &full); err != nil {
			fullErr = fmt.Errorf("awspolicies: decode embedded snapshot: %w", err)
		}
	})
	if fullErr != nil {
		return nil, fullErr
	}
	return &full, nil
}

// index maps each policy's canonical ARN to the offset of its entry's value
// in the decompressed snapshot. In the snapshot every entry is written
// `"<ARN>":{"versionId":…`; a JSON string followed by `:` is always a key,
// and no policy document has a key followed by {"versionId", so one pass of
// byte searches finds every entry without decoding any.
func index(data []byte) map[string]int {
	const marker = `:{"versionId":`
	idx := make(map[string]int, 1500)
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte(marker))
		if i < 0 {
			return idx
		}
		i += off
		end := i - 1 // the key's closing quote
		if end > 0 && data[end] == '"' {
			if start := bytes.LastIndexByte(data[:end], '"'); start >= 0 {
				idx[string(data[start+1:end])] = i + 1
			}
		}
		off = i + len(marker)
	}
}

// find decodes the entry of one policy.
func find(data []byte, offsets map[string]int, key string) (entry, bool, error) {
	at, ok := offsets[key]
	if !ok {
		return entry{}, false, nil
	}
	var e entry
	if err := json.NewDecoder(bytes.NewReader(data[at:])).Decode(&e); err != nil {
		return entry{}, false, fmt.Errorf("awspolicies: decode the snapshot's entry for %s: %w", key, err)
	}
	return e, true, nil
}

// IsAWSManaged reports whether arn names an AWS managed policy in any partition
// (arn:aws:iam::aws:policy/..., arn:aws-us-gov:iam::aws:policy/...).
func IsAWSManaged(arn string) bool {
	_, ok := canonical(arn)
	return ok
}

// canonical maps an AWS managed policy ARN of any partition onto the aws
// partition, where the snapshot keys it. The documents are the same across
// partitions for the policies that exist in both.
func canonical(arn string) (string, bool) {
	a, ok := awsarn.Parse(arn)
	if !ok || !strings.HasPrefix(a.Partition, "aws") ||
		a.Service != "iam" || a.Region != "" || a.Account != "aws" || !strings.HasPrefix(a.Resource, "policy/") {
		return "", false
	}
	return "arn:aws:iam::aws:" + a.Resource, true
}

// Lookup returns the snapshot's document for an AWS managed policy ARN.
// ok is false when arn is not an AWS managed policy or the snapshot does not
// hold it; err is non-nil only if the embedded snapshot itself is unreadable.
func Lookup(arn string) (p Policy, ok bool, err error) {
	key, isManaged := canonical(arn)
	if !isManaged {
		return Policy{}, false, nil
	}
	if v, hit := cache.Load(key); hit {
		if v == nil {
			return Policy{}, false, nil
		}
		return v.(Policy), true, nil
	}
	data, err := load()
	if err != nil {
		return Policy{}, false, err
	}
	e, found, err := find(data, offsets, key)
	if err != nil {
		return Policy{}, false, err
	}
	if !found {
		cache.Store(key, nil)
		return Policy{}, false, nil
	}
	p = Policy{ARN: key, VersionID: e.VersionID, Document: e.Document, Text: string(e.Document)}
	cache.Store(key, p)
	return p, true, nil
}

// Source describes where the snapshot came from, for provenance in reports.
func Source() (string, error) {
	c, err := loadAll()
	if err != nil {
		return "", err
	}
	return c.Source, nil
}

// Len returns how many policies the snapshot holds.
func Len() (int, error) {
	c, err := loadAll()
	if err != nil {
		return 0, err
	}
	return len(c.Policies), nil
}
