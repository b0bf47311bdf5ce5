package main

import (
	"strings"
	"testing"

	"github.com/iamguard/iamguard/shared/rules"
)

// synthWide: every rule that can roll back in remediate mode, six forward
// Regions: audit-guard's role then holds more than one inline policy can
// (IAM's 10,240 characters), and CDK moves the rest to overflow managed
// policies, which must carry the same cdk-nag suppressions.
const synthWide = "wide"

func init() {
	var remediable []any
	for _, r := range rules.Table() {
		if len(r.Actions) > 0 {
			remediable = append(remediable, r.ID)
		}
	}
	contexts[synthWide] = struct {
		overlay map[string]any
		bundle  bool
	}{overlay: map[string]any{KeyRemediate: remediable, KeyForwardRegions: wideRegions}}
}

func TestWideRemediateIsNagClean(t *testing.T) {
	s := synth(t, synthWide)
	if len(s.nagErrors) > 0 {
		t.Errorf("cdk-nag errors:\n%s", strings.Join(s.nagErrors, "\n"))
	}
	overflow := 0
	for id := range s.templates[mainStackID].ofType("AWS::IAM::ManagedPolicy") {
		if strings.Contains(s.templates[mainStackID].name(id), "Overflow") {
			overflow++
		}
	}
	t.Logf("%d overflow policies", overflow)
}
