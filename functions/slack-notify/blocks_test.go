package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iamguard/iamguard/internal/golden"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/notify"
	"github.com/iamguard/iamguard/shared/rules"
)

// findingOf evaluates one real event from events/.
func findingOf(t *testing.T, name string) finding.Finding {
	t.Helper()
	f, err := os.Open(filepath.Join("../../events", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := cloudtrail.NewReader(f, name).Next()
	if err != nil {
		t.Fatal(err)
	}
	found := rules.NewEngine(rules.Options{}).Evaluate(t.Context(), rec)
	if len(found) != 1 {
		t.Fatalf("%s gave %d findings, want 1", name, len(found))
	}
	return found[0]
}

// sampleAlert is a critical finding from a real event, rolled back.
func sampleAlert(t *testing.T) finding.Alert {
	f := findingOf(t, "AttachUserPolicy-elastic-integ-1.json")
	return finding.Alert{Finding: f, Function: "policy-guard", Outcome: finding.Outcome{
		Status: finding.StatusDone, Mode: "remediate", Reason: "rolled back: " + f.Remediation.Description,
		Plan: f.Remediation, Undo: f.Remediation.Undo.Command,
	}}
}

func TestAlertMessageGolden(t *testing.T) {
	tests := []struct {
		name  string
		alert func(t *testing.T) finding.Alert
	}{
		{"attach-rolled-back", sampleAlert},
		{"root-login-notify-only", func(t *testing.T) finding.Alert {
			f := findingOf(t, "ConsoleLogin-awsdocs-ct-4.json")
			return finding.Alert{Finding: f, Function: "root-activity", Outcome: finding.Outcome{
				Status: finding.StatusNotified, Mode: "notify", Reason: "rule root-console-login is in notify mode"}}
		}},
		{"inline-policy-dry-run", func(t *testing.T) finding.Alert {
			f := findingOf(t, "PutGroupPolicy-derived.json")
			return finding.Alert{Finding: f, Function: "policy-guard", Outcome: finding.Outcome{
				Status: finding.StatusDryRun, Mode: "dry-run", Reason: "dry-run: would " + f.Remediation.Description, Plan: f.Remediation}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := alertMessage(tc.alert(t))
			checkLimits(t, m)
			b, err := marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := json.Indent(&got, b, "", "  "); err != nil {
				t.Fatal(err)
			}
			got.WriteByte('\n')
			golden.Check(t, filepath.Join("testdata", tc.name+".slack.golden"), got.Bytes())
		})
	}
}

// checkLimits asserts the Block Kit limits alertMessage keeps.
func checkLimits(t *testing.T, m message) {
	t.Helper()
	if m.Text == "" || utf8.RuneCountInString(m.Text) > maxText {
		t.Errorf("text is %d characters, want 1 to %d", utf8.RuneCountInString(m.Text), maxText)
	}
	if len(m.Blocks) > 50 {
		t.Errorf("%d blocks, want at most 50", len(m.Blocks))
	}
	for _, b := range m.Blocks {
		switch b.Type {
		case "header":
			if b.Text.Type != "plain_text" || utf8.RuneCountInString(b.Text.Text) > maxHeader {
				t.Errorf("header %q: want plain_text of at most %d characters", b.Text.Text, maxHeader)
			}
		case "section":
			if len(b.Fields) > 10 {
				t.Errorf("section has %d fields, want at most 10", len(b.Fields))
			}
			for _, f := range b.Fields {
				if utf8.RuneCountInString(f.Text) > maxField {
					t.Errorf("field is %d characters, want at most %d", utf8.RuneCountInString(f.Text), maxField)
				}
			}
			if b.Text != nil && utf8.RuneCountInString(b.Text.Text) > maxSection {
				t.Errorf("section text is %d characters, want at most %d", utf8.RuneCountInString(b.Text.Text), maxSection)
			}
		case "context":
			if len(b.Elements) > 10 {
				t.Errorf("context has %d elements, want at most 10", len(b.Elements))
			}
			for _, e := range b.Elements {
				if utf8.RuneCountInString(e.Text) > maxContextText {
					t.Errorf("context element is %d characters, want at most %d", utf8.RuneCountInString(e.Text), maxContextText)
				}
			}
		default:
			t.Errorf("unexpected block type %q", b.Type)
		}
	}
}

func TestAlertMessageLimitsAndEscaping(t *testing.T) {
	a := sampleAlert(t)
	a.Finding.Summary = strings.Repeat("long summary ", 40)
	a.Finding.UserAgent = "x"
	a.Finding.Actor = "arn:aws:iam::1:user/<!channel>`&"
	for i := 0; i < 300; i++ {
		a.Finding.Reasons = append(a.Finding.Reasons, "reason <!here> "+strings.Repeat("r", 40))
	}
	m := alertMessage(a)
	checkLimits(t, m)
	b, _ := marshal(m)
	for _, bad := range []string{"<!channel>", "<!here>", "`&"} {
		if strings.Contains(string(b), bad) {
			t.Errorf("Slack payload contains %q unescaped", bad)
		}
	}
	if !strings.Contains(string(b), "cut to fit Slack") {
		t.Error("cut reasons do not say so")
	}
}

func TestCommandText(t *testing.T) {
	tests := []struct {
		cmd, want string
	}{
		{"aws iam detach-user-policy --user-name bob", "Undo: `aws iam detach-user-policy --user-name bob`"},
		{"aws iam put-user-policy --policy-document '{\"a\":\"<b>\"}'", "Undo: `aws iam put-user-policy --policy-document '{\"a\":\"&lt;b&gt;\"}'`"},
		{"aws iam put-user-policy --policy-document '{\n}'", "Undo: the command holds characters Slack would alter; see the email alert."},
		{"aws " + strings.Repeat("x", 3000), "Undo: the command is too long for Slack; see the email alert."},
	}
	for _, tc := range tests {
		if got := commandText(notify.Command{Label: "Undo", Command: tc.cmd}); got != tc.want {
			t.Errorf("commandText(%.40q) = %q, want %q", tc.cmd, got, tc.want)
		}
	}
}
