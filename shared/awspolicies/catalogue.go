package awspolicies

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

//go:embed aws-managed-policies.json.gz
var snapshot []byte

// Policy is one AWS managed policy as the snapshot holds it.
type Policy struct {
	ARN       string          // canonical ARN in the aws partition
	VersionID string          // default version at snapshot time, such as "v3"
	Document  json.RawMessage // the policy document as JSON
}

type entry struct {
	VersionID string          `json:"versionId"`
	Document  json.RawMessage `json:"document"`
}

type catalogue struct {
	Source   string           `json:"source"`
	Policies map[string]entry `json:"policies"`
}

// The snapshot is decompressed on first use, not at start, and a lookup
// decodes only the one entry it needs: a Lambda cold start that never meets an
// AWS managed policy pays nothing, and the first one that does pays for
// gunzip (a few milliseconds), not for decoding 2.8 MB of JSON.
var (
	once    sync.Once
	raw     []byte
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
		}
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

// find decodes the entry of one policy. In the snapshot every entry is
// written `"<ARN>":{"versionId":…`, so the key with that suffix is found by
// a byte search, which no document can contain by accident (a document's
// strings cannot be followed by {"versionId").
func find(data []byte, key string) (entry, bool, error) {
	needle := []byte(strconv.Quote(key) + `:{"versionId":`)
	i := bytes.Index(data, needle)
	if i < 0 {
		return entry{}, false, nil
	}
	var e entry
	dec := json.NewDecoder(bytes.NewReader(data[i+len(needle)-len(`{"versionId":`):]))
	if err := dec.Decode(&e); err != nil {
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
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") ||
		parts[2] != "iam" || parts[3] != "" || parts[4] != "aws" || !strings.HasPrefix(parts[5], "policy/") {
		return "", false
	}
	return "arn:aws:iam::aws:" + parts[5], true
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
	e, found, err := find(data, key)
	if err != nil {
		return Policy{}, false, err
	}
	if !found {
		cache.Store(key, nil)
		return Policy{}, false, nil
	}
	p = Policy{ARN: key, VersionID: e.VersionID, Document: e.Document}
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
