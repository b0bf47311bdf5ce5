package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"hash/fnv"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/iamguard/iamguard/internal/golden"
	"github.com/iamguard/iamguard/shared/cloudtrail"
	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/rules"
	"github.com/iamguard/iamguard/shared/severity"
)

const eventsDir = "../../events"

// sample is one finding from a real event, with the name of its golden files.
type sample struct {
	name    string
	finding finding.Finding
}

// samples evaluates every event in events/ with a fresh engine, as a Lambda
// function sees one event, and returns the findings.
func samples(t *testing.T) []sample {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(eventsDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []sample
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		// The canary of TagPolicy-canary-derived.json is the stack's own.
		eng := rules.NewEngine(rules.Options{Settings: rules.Settings{
			CanaryPolicyARN: "arn:aws:iam::307578594326:policy/iamguard/canary/Iamguard-canary",
			CanaryRoleARN:   "arn:aws:iam::307578594326:role/Iamguard-CanaryRole",
			Guardrail: rules.Guardrail{StackName: "Iamguard", KeyARN: "arn:aws:kms:us-east-1:123456789012:key/0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
				DeployRoles: []string{"arn:aws:iam::*:role/cdk-*-deploy-role-*", "arn:aws:iam::*:role/cdk-*-cfn-exec-role-*"}},
		}})
		rd := cloudtrail.NewReader(f, path)
		var found []finding.Finding
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			found = append(found, eng.Evaluate(t.Context(), rec)...)
		}
		f.Close()
		base := strings.TrimSuffix(filepath.Base(path), ".json")
		for i, fd := range found {
			name := base
			if len(found) > 1 {
				name += "-" + string(rune('a'+i))
			}
			out = append(out, sample{name: name, finding: fd})
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d findings from %s; want the samples to cover every rule", len(out), eventsDir)
	}
	return out
}

// outcomeKinds are the outcomes the golden files combine findings with.
var outcomeKinds = []string{"done", "dry-run", "skipped-exempt", "failed", "notify-only"}

// outcomeFor builds a realistic Outcome of the given kind for f.
func outcomeFor(kind string, f finding.Finding) finding.Outcome {
	plan := f.Remediation
	if plan != nil && plan.Deferred != "" && (kind == "done" || kind == "failed") {
		// What remediate does with a deferred parameter when it acts: IAM
		// supplies it.
		c := *plan
		c.Parameters = maps.Clone(plan.Parameters)
		c.Parameters["VersionId"] = "v2"
		c.Command += " --version-id v2"
		c.Deferred = ""
		plan = &c
	}
	if plan == nil && kind != "notify-only" {
		// What remediate decides for a finding with no plan, in any mode
		// that would act.
		return finding.Outcome{Status: finding.StatusSkipped, Mode: "remediate", Reason: "no rollback exists for this finding"}
	}
	switch kind {
	case "done":
		o := finding.Outcome{Status: finding.StatusDone, Mode: "remediate", Reason: "rolled back: " + plan.Description, Plan: plan}
		if plan.Undo != nil {
			o.Undo = plan.Undo.Command
		}
		return o
	case "dry-run":
		return finding.Outcome{Status: finding.StatusDryRun, Mode: "dry-run", Reason: "dry-run: would " + plan.Description, Plan: plan}
	case "skipped-exempt":
		return finding.Outcome{Status: finding.StatusSkipped, Mode: "remediate", Reason: "the target is exempt",
			Exemption: "target tag iamguard:exempt=true", Plan: plan}
	case "failed":
		return finding.Outcome{Status: finding.StatusFailed, Mode: "remediate", Reason: "the rollback failed; the change is still in place", Plan: plan,
			Error: "operation error IAM: " + plan.Action + ", https response error StatusCode: 403, api error AccessDenied: User: arn:aws:sts::111122223333:assumed-role/iamguard-policy-guard/iamguard is not authorized to perform: " + plan.Action}
	}
	return finding.Outcome{Status: finding.StatusNotified, Mode: "notify", Reason: "rule " + f.Rule + " is in notify mode"}
}

func alerts(t *testing.T) []struct {
	name  string
	alert finding.Alert
} {
	var out []struct {
		name  string
		alert finding.Alert
	}
	for _, s := range samples(t) {
		// Chosen by the sample's name, so that a new sample does not move
		// every other sample to another outcome kind.
		h := fnv.New32a()
		h.Write([]byte(s.name))
		kind := outcomeKinds[int(h.Sum32()%uint32(len(outcomeKinds)))]
		out = append(out, struct {
			name  string
			alert finding.Alert
		}{s.name, finding.Alert{Finding: s.finding, Outcome: outcomeFor(kind, s.finding), Function: familyOf(s.finding)}})
	}
	return out
}

// TestGolden renders every real finding, each with one of the outcomes, and
// compares the email, the Chatbot notification and the subject with
// testdata/<event>.*.golden.
func TestGolden(t *testing.T) {
	for _, tc := range alerts(t) {
		t.Run(tc.name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", tc.name+".email.golden"), []byte(EmailText(tc.alert)))
			chat, err := ChatbotJSON(tc.alert)
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, chat, "", "  "); err != nil {
				t.Fatalf("ChatbotJSON is not JSON: %v", err)
			}
			pretty.WriteByte('\n')
			golden.Check(t, filepath.Join("testdata", tc.name+".chatbot.golden"), pretty.Bytes())
			golden.Check(t, filepath.Join("testdata", tc.name+".subject.golden"), []byte(Subject(tc.alert)+"\n"))
		})
	}
}

// checkSubject asserts what SNS requires of a Subject.
func checkSubject(t *testing.T, s string) {
	t.Helper()
	if len(s) == 0 || len(s) >= 100 {
		t.Errorf("Subject %q is %d bytes, want 1 to 99", s, len(s))
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			t.Errorf("Subject %q has byte %#x at %d, want printable ASCII", s, c, i)
			break
		}
	}
	if s[0] == ' ' {
		t.Errorf("Subject %q begins with a space, want a letter, digit or punctuation", s)
	}
}

func TestSubjectRealFindings(t *testing.T) {
	for _, s := range samples(t) {
		for _, kind := range outcomeKinds {
			a := finding.Alert{Finding: s.finding, Outcome: outcomeFor(kind, s.finding), Function: familyOf(s.finding)}
			got := Subject(a)
			checkSubject(t, got)
			if want := "[" + strings.ToUpper(s.finding.Severity.String()) + "] "; !strings.HasPrefix(got, want) {
				t.Errorf("Subject(%s) = %q, want prefix %q", s.name, got, want)
			}
			if a.Outcome.Status == finding.StatusDone && !strings.HasSuffix(got, " - rolled back") {
				t.Errorf("Subject(%s, done) = %q, want suffix \" - rolled back\"", s.name, got)
			}
		}
	}
}

func TestSubject(t *testing.T) {
	base := finding.Finding{Rule: "wildcard-policy", Severity: severity.Critical, EventID: "e1"}
	long := strings.Repeat("a very long summary ", 25) // 500 characters
	tests := []struct {
		name    string
		summary string
		status  finding.Status
		want    string // empty: only the SNS rules are checked
	}{
		{"plain", "AdministratorAccess attached to user bob in 111122223333", "", "[CRITICAL] AdministratorAccess attached to user bob in 111122223333"},
		{"rolled back", "AdministratorAccess attached to user bob in 111122223333", finding.StatusDone, "[CRITICAL] AdministratorAccess attached to user bob in 111122223333 - rolled back"},
		{"failed", "x", finding.StatusFailed, "[CRITICAL] x - rollback FAILED"},
		{"notify-only has no suffix", "x", finding.StatusNotified, "[CRITICAL] x"},
		{"drops the closing remark before cutting", "AdministratorAccess attached to role stratus-red-team-malicious-iam-role in 609418236337 (grants administrator access)", finding.StatusNotified,
			"[CRITICAL] AdministratorAccess attached to role stratus-red-team-malicious-iam-role in 609418236337"},
		{"cuts keeping the outcome", "AdministratorAccess attached to role stratus-red-team-malicious-iam-role in 609418236337 (grants administrator access)", finding.StatusDone,
			"[CRITICAL] AdministratorAccess attached to role stratus-red-team-malicious-iam-rol... - rolled back"},
		{"unicode", "Politique «admin» attachée à l’utilisateur José — 🚀…", "", `[CRITICAL] Politique "admin" attach?e ? l'utilisateur Jos? - ?...`},
		{"line breaks and controls", "evil\r\nBcc: victim@example.com\x00\x1b[31m\tred", "", "[CRITICAL] evil Bcc: victim@example.com [31m red"},
		{"500 characters", long, finding.StatusDone, ""},
		{"500 characters of unicode", strings.Repeat("é", 500), "", ""},
		{"empty summary", "", "", "[CRITICAL] iamguard wildcard-policy finding"},
		{"only line breaks", "\n\n\r\n", "", "[CRITICAL] iamguard wildcard-policy finding"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := base
			f.Summary = tc.summary
			got := Subject(finding.Alert{Finding: f, Outcome: finding.Outcome{Status: tc.status}})
			checkSubject(t, got)
			if tc.want != "" && got != tc.want {
				t.Errorf("Subject(%q) = %q, want %q", tc.summary, got, tc.want)
			}
			if tc.status == finding.StatusDone && !strings.HasSuffix(got, " - rolled back") {
				t.Errorf("Subject(%q) = %q lost the outcome suffix", tc.summary, got)
			}
		})
	}
}

// criticalAttach is a finding for hand-made cases: an inline policy written
// on a role, rolled back.
func criticalInline(doc string) finding.Alert {
	f := finding.Finding{
		Rule: "wildcard-policy", Severity: severity.Critical, EventID: "11111111-2222-3333-4444-555555555555",
		EventName: "PutRolePolicy", EventTime: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
		Account: "111122223333", Region: "us-east-1",
		Actor: "arn:aws:iam::111122223333:user/mallory", ActorType: "IAMUser", SourceIP: "198.51.100.7", UserAgent: "aws-cli/2.15.0",
		Target:  "arn:aws:iam::111122223333:role/ci-deployer",
		Summary: "Inline policy allow-all written on role ci-deployer in 111122223333 (grants administrator access)",
		Reasons: []string{`statement 0 allows every action ("*") on every resource ("*"): administrator access`},
		Policy:  &finding.PolicyRef{Name: "allow-all", Document: doc, Source: "event"},
	}
	f.Remediation = &finding.Remediation{
		Step: finding.Step{Action: "iam:DeleteRolePolicy", Parameters: map[string]string{"RoleName": "ci-deployer", "PolicyName": "allow-all"},
			Command: "aws iam delete-role-policy --role-name ci-deployer --policy-name allow-all"},
		Description: "delete inline policy allow-all from role ci-deployer",
		Undo: &finding.Step{Action: "iam:PutRolePolicy", Parameters: map[string]string{"RoleName": "ci-deployer", "PolicyName": "allow-all", "PolicyDocument": doc},
			Command: "aws iam put-role-policy --role-name ci-deployer --policy-name allow-all --policy-document " + finding.ShellQuote(doc)},
	}
	return finding.Alert{Finding: f, Outcome: outcomeFor("done", f), Function: "policy-guard"}
}

// decodeBody checks that a message body has the five protocol keys, each a
// string, and returns them.
func decodeBody(t *testing.T, body string) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("Body is not a JSON object of strings: %v", err)
	}
	want := []string{"default", "email", "https", "lambda", "sqs"}
	if diff := cmp.Diff(want, slices.Sorted(maps.Keys(m))); diff != "" {
		t.Fatalf("Body keys (-want +got):\n%s", diff)
	}
	return m
}

func TestBuild(t *testing.T) {
	for _, tc := range alerts(t) {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Build(tc.alert)
			if err != nil {
				t.Fatal(err)
			}
			checkSubject(t, m.Subject)
			bodies := decodeBody(t, m.Body)
			if bodies["email"] != EmailText(tc.alert) {
				t.Error("Body.email is not EmailText")
			}
			machine, _ := FindingJSON(tc.alert)
			for _, k := range []string{"default", "sqs", "lambda"} {
				if bodies[k] != string(machine) {
					t.Errorf("Body.%s = %.80s…, want FindingJSON", k, bodies[k])
				}
			}
			back, err := ParseFindingJSON([]byte(bodies["lambda"]))
			if err != nil {
				t.Fatalf("ParseFindingJSON(Body.lambda): %v", err)
			}
			if diff := cmp.Diff(tc.alert.Finding, back.Finding); diff != "" {
				t.Errorf("finding after a round trip (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.alert.Outcome, back.Outcome); diff != "" {
				t.Errorf("outcome after a round trip (-want +got):\n%s", diff)
			}
			checkChatbotOf(t, []byte(bodies["https"]), tc.alert.Finding.EventID != "")

			want := map[string]string{
				"severity":  tc.alert.Finding.Severity.String(),
				"rule":      tc.alert.Finding.Rule,
				"account":   tc.alert.Finding.Account,
				"status":    string(tc.alert.Outcome.Status),
				"eventName": tc.alert.Finding.EventName,
			}
			// An empty value is left out: SNS rejects one.
			maps.DeleteFunc(want, func(_, v string) bool { return v == "" })
			if diff := cmp.Diff(want, m.Attributes); diff != "" {
				t.Errorf("Attributes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAttributesLeaveOutEmpty(t *testing.T) {
	got := Attributes(finding.Alert{Finding: finding.Finding{Rule: "root-activity", Severity: severity.High}})
	want := map[string]string{"rule": "root-activity", "severity": "high"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Attributes (-want +got):\n%s", diff)
	}
}

// checkChatbot asserts the custom-notification shape Chatbot requires and
// the limits iamguard keeps.
func checkChatbot(t *testing.T, b []byte) ChatbotNotification { return checkChatbotOf(t, b, true) }

// checkChatbotOf is checkChatbot for an alert whose record may lack an event
// ID (a hand-made record): then the notification has no id either.
func checkChatbotOf(t *testing.T, b []byte, hasEventID bool) ChatbotNotification {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("chatbot JSON: %v", err)
	}
	if raw["version"] != "1.0" || raw["source"] != "custom" {
		t.Errorf("chatbot version, source = %v, %v; want 1.0, custom", raw["version"], raw["source"])
	}
	var n ChatbotNotification
	if err := json.Unmarshal(b, &n); err != nil {
		t.Fatal(err)
	}
	c := n.Content
	if c.TextType != "client-markdown" || c.Title == "" || c.Description == "" || len(c.NextSteps) == 0 || len(c.Keywords) == 0 {
		t.Errorf("chatbot content lacks a field: %+v", c)
	}
	if (hasEventID && n.ID == "") || n.Metadata.ThreadID == "" || n.Metadata.EventType == "" || n.Metadata.Summary == "" || len(n.Metadata.RelatedResources) == 0 {
		t.Errorf("chatbot metadata lacks a field: %+v", n.Metadata)
	}
	for _, k := range []string{"eventID", "severity"} {
		if n.Metadata.AdditionalContext[k] == "" && (hasEventID || k != "eventID") {
			t.Errorf("chatbot additionalContext lacks %s: %v", k, n.Metadata.AdditionalContext)
		}
	}
	if l := utf8.RuneCountInString(c.Title); l > ChatbotMaxTitle {
		t.Errorf("chatbot title is %d characters, want at most %d", l, ChatbotMaxTitle)
	}
	if l := utf8.RuneCountInString(c.Description); l > ChatbotMaxDescription {
		t.Errorf("chatbot description is %d characters, want at most %d", l, ChatbotMaxDescription)
	}
	for _, s := range c.NextSteps {
		if l := utf8.RuneCountInString(s); l > ChatbotMaxNextStep {
			t.Errorf("chatbot next step is %d characters, want at most %d", l, ChatbotMaxNextStep)
		}
	}
	return n
}

func TestChatbotLongTexts(t *testing.T) {
	a := criticalInline(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	a.Finding.Summary = strings.Repeat("S", 600)
	for i := 0; i < 200; i++ {
		a.Finding.Reasons = append(a.Finding.Reasons, strings.Repeat("reason ", 20))
	}
	b, err := ChatbotJSON(a)
	if err != nil {
		t.Fatal(err)
	}
	n := checkChatbot(t, b)
	if !strings.HasSuffix(n.Content.Description, "the email alert has everything)") {
		t.Errorf("cut description does not end with the note: …%s", n.Content.Description[len(n.Content.Description)-80:])
	}
}

// TestChatbotUntrustedText: CloudTrail fields are chosen by the caller; they
// must not mention the channel, add links or break out of a code span.
func TestChatbotUntrustedText(t *testing.T) {
	a := criticalInline(`{}`)
	a.Finding.UserAgent = "<!channel> `x` <https://evil.example|click>"
	a.Finding.SourceIP = "1.2.3.4`\n*bold*"
	a.Finding.Summary = "Policy <!here> attached"
	b, err := ChatbotJSON(a)
	if err != nil {
		t.Fatal(err)
	}
	n := checkChatbot(t, b)
	all := n.Content.Title + n.Content.Description + strings.Join(n.Content.NextSteps, "")
	for _, bad := range []string{"<!channel>", "<!here>", "<https://evil", "4`"} {
		if strings.Contains(all, bad) {
			t.Errorf("chatbot text contains %q: %s", bad, all)
		}
	}
}

func TestChatbotAlteredCommandIsNotShown(t *testing.T) {
	a := criticalInline("{\"Version\":\"2012-10-17\",\n\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"<all>\"}}")
	n := Chatbot(a)
	if !strings.Contains(n.Content.NextSteps[0], "see the email alert") {
		t.Errorf("next step %q shows a command chat would alter", n.Content.NextSteps[0])
	}
}

func TestSizeCap(t *testing.T) {
	// A 300 KB inline document: far past any IAM quota, but a message must
	// still go out, and say what it left out.
	stmt := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-it's/*"},`
	doc := `{"Version":"2012-10-17","Statement":[` + strings.Repeat(stmt, 300_000/len(stmt)) + `{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	if len(doc) < 300_000 {
		t.Fatalf("document is %d bytes, want 300 KB", len(doc))
	}
	for _, kind := range []string{"done", "dry-run"} {
		t.Run(kind, func(t *testing.T) {
			a := criticalInline(doc)
			a.Outcome = outcomeFor(kind, a.Finding)
			m, err := Build(a)
			if err != nil {
				t.Fatal(err)
			}
			size := len(m.Body) + len(m.Subject)
			for k, v := range m.Attributes {
				size += len(k) + len(v) + len("String")
			}
			if size > MaxMessageBytes {
				t.Errorf("message is %d bytes, want at most %d", size, MaxMessageBytes)
			}
			note := truncationNote(len(doc), a.Finding.EventID)
			bodies := decodeBody(t, m.Body)
			for k, v := range bodies {
				if !strings.Contains(v, note) && !(k == "https" && strings.Contains(v, "file://policy.json")) {
					t.Errorf("Body.%s does not say the document was truncated (%q)", k, note)
				}
				if strings.Contains(v, strings.Repeat(stmt, 200)) {
					t.Errorf("Body.%s still holds most of the document", k)
				}
			}
			if !strings.Contains(bodies["email"], "file://policy.json") || !strings.Contains(bodies["email"], "copy it from the CloudTrail event") {
				t.Errorf("email does not point the undo command at policy.json:\n%s", bodies["email"])
			}
			back, err := ParseFindingJSON([]byte(bodies["lambda"]))
			if err != nil {
				t.Fatal(err)
			}
			if got := back.Finding.Remediation.Undo.Parameters["PolicyDocument"]; got != note {
				t.Errorf("undo PolicyDocument = %.100q, want the note", got)
			}
			if a.Finding.Policy.Document != doc {
				t.Error("Build changed the caller's finding")
			}
		})
	}
}

func TestSizeCapHugeReasons(t *testing.T) {
	a := criticalInline(`{}`)
	for i := 0; i < 5_000; i++ {
		a.Finding.Reasons = append(a.Finding.Reasons, strings.Repeat("x", 100))
	}
	a.Finding.UserAgent = strings.Repeat("u", 100_000)
	m, err := Build(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Body) > MaxMessageBytes {
		t.Errorf("Body is %d bytes, want at most %d", len(m.Body), MaxMessageBytes)
	}
	if !strings.Contains(m.Body, "more reasons left out to fit the SNS message size limit") {
		t.Error("Body does not say reasons were left out")
	}
}

func TestParseFindingJSONRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"plain text alarm",
		`{"AlarmName":"x","NewStateValue":"ALARM"}`,
		`{"finding":{"rule":"r","eventID":"e"}}`,
		`{"finding":{"rule":"r","eventID":"e"},"version":2}`,
		`{"finding":{"rule":"r","eventID":"e","severity":"extreme"},"version":1}`,
	} {
		if _, err := ParseFindingJSON([]byte(in)); !errors.Is(err, ErrNotAlert) {
			t.Errorf("ParseFindingJSON(%q) error = %v, want ErrNotAlert", in, err)
		}
	}
}

func TestCommands(t *testing.T) {
	a := criticalInline(`{"Version":"2012-10-17"}`)
	tests := []struct {
		kind   string
		labels []string
	}{
		{"done", []string{LabelUndoRollback}},
		{"dry-run", []string{LabelRollBack, LabelUndoThat}},
		{"failed", []string{LabelRollBack, LabelUndoThat}},
		{"skipped-exempt", []string{LabelRollBack, LabelUndoThat}},
		{"notify-only", []string{LabelRollBack, LabelUndoThat}},
	}
	for _, tc := range tests {
		a.Outcome = outcomeFor(tc.kind, a.Finding)
		var got []string
		for _, c := range Commands(a) {
			got = append(got, c.Label)
		}
		if diff := cmp.Diff(tc.labels, got); diff != "" {
			t.Errorf("Commands(%s) labels (-want +got):\n%s", tc.kind, diff)
		}
	}
	a.Finding.Remediation = nil
	a.Outcome = finding.Outcome{Status: finding.StatusSkipped}
	if got := Commands(a); got != nil {
		t.Errorf("Commands(no plan) = %v, want none", got)
	}
}

func TestConsoleURL(t *testing.T) {
	tests := []struct{ region, want string }{
		{"us-east-1", "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/e%2F1"},
		{"eu-west-3", "https://eu-west-3.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-3#/events/e%2F1"},
		{"", "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/e%2F1"},
		{"XXXXXXXXXXXXXXXXXXXX", "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/e%2F1"},
		{"us-gov-west-1", "https://console.amazonaws-us-gov.com/cloudtrailv2/home?region=us-gov-west-1#/events/e%2F1"},
	}
	for _, tc := range tests {
		if got := ConsoleURL(finding.Finding{Region: tc.region, EventID: "e/1"}); got != tc.want {
			t.Errorf("ConsoleURL(%q) = %q, want %q", tc.region, got, tc.want)
		}
	}
}

// TestSizeCapCraftedDocument: a document that carries the truncation note
// itself is still truncated.
func TestSizeCapCraftedDocument(t *testing.T) {
	doc := `{"Version":"2012-10-17","Sid":"[document truncated: 1 bytes; full document in the CloudTrail event x]","Statement":[` +
		strings.Repeat(`{"Effect":"Deny","Action":"s3:x","Resource":"*"},`, 8_000) + `{}]}`
	m, err := Build(criticalInline(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Body) > MaxMessageBytes {
		t.Errorf("Body is %d bytes, want at most %d", len(m.Body), MaxMessageBytes)
	}
}

// familyOf is the function family of a finding's rule, as the guard that
// handles it names itself in Alert.Function.
func familyOf(f finding.Finding) string {
	if r, ok := rules.ByID(f.Rule); ok {
		return r.Family.ID
	}
	return ""
}
