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

// The snapshot is decoded on first use, not at start: a Lambda cold start that
// never meets an AWS managed policy should not pay ~2.8 MB of JSON decoding.
var (
	once    sync.Once
	loaded  catalogue
	loadErr error
)

func load() (*catalogue, error) {
	once.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(snapshot))
		if err != nil {
			loadErr = fmt.Errorf("awspolicies: open embedded snapshot: %w", err)
			return
		}
		data, err := io.ReadAll(zr)
		if err != nil {
			loadErr = fmt.Errorf("awspolicies: read embedded snapshot: %w", err)
			return
		}
		if err := json.Unmarshal(data, &loaded); err != nil {
			loadErr = fmt.Errorf("awspolicies: decode embedded snapshot: %w", err)
		}
	})
	if loadErr != nil {
		return nil, loadErr
	}
	return &loaded, nil
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
	c, err := load()
	if err != nil {
		return Policy{}, false, err
	}
	e, found := c.Policies[key]
	if !found {
		return Policy{}, false, nil
	}
	return Policy{ARN: key, VersionID: e.VersionID, Document: e.Document}, true, nil
}

// Source describes where the snapshot came from, for provenance in reports.
func Source() (string, error) {
	c, err := load()
	if err != nil {
		return "", err
	}
	return c.Source, nil
}

// Len returns how many policies the snapshot holds.
func Len() (int, error) {
	c, err := load()
	if err != nil {
		return 0, err
	}
	return len(c.Policies), nil
}
